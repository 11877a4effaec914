import { createRoute } from "@hono/zod-openapi";
import { IdParam } from "../api-keys/schemas";
import { requireAuth } from "../auth/middleware";
import { controlDb } from "../db/client";
import { createRouter, errors, json, jsonBody, security } from "../lib/openapi";
import { disconnectFromHub } from "../live/publish";
import { ChangeRoleBody, CreatedInvitation, InvitationList, InviteBody, User, UserList } from "./schemas";
import { changeRole, invite, listInvitations, listUsers, removeUser, revokeInvitation } from "./service";

const tags = ["users"];
const signedIn = [requireAuth({ allowApiKey: false })];
const admins = [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })];
const base = { tags, security: security.session };

const list = createRoute({
  ...base,
  method: "get",
  path: "/",
  summary: "List the tenant's users",
  middleware: signedIn,
  responses: { 200: json(UserList, "Users"), ...errors(401) },
});
const createInvitation = createRoute({
  ...base,
  method: "post",
  path: "/invitations",
  summary: "Invite a user (returns a single-use accept link)",
  middleware: admins,
  request: jsonBody(InviteBody),
  responses: { 201: json(CreatedInvitation, "Invitation created"), ...errors(400, 401, 403, 409) },
});
const invitationsList = createRoute({
  ...base,
  method: "get",
  path: "/invitations",
  summary: "List pending and accepted invitations",
  middleware: admins,
  responses: { 200: json(InvitationList, "Invitations"), ...errors(401, 403) },
});
const deleteInvitation = createRoute({
  ...base,
  method: "delete",
  path: "/invitations/{id}",
  summary: "Revoke a pending invitation",
  middleware: admins,
  request: { params: IdParam },
  responses: { 204: { description: "Revoked" }, ...errors(401, 403, 404) },
});
const patchUser = createRoute({
  ...base,
  method: "patch",
  path: "/{id}",
  summary: "Change a user's role",
  middleware: admins,
  request: { params: IdParam, ...jsonBody(ChangeRoleBody) },
  responses: { 200: json(User, "Updated"), ...errors(400, 401, 403, 404, 409) },
});
const deleteUser = createRoute({
  ...base,
  method: "delete",
  path: "/{id}",
  summary: "Remove a user (ends sessions, revokes keys)",
  middleware: admins,
  request: { params: IdParam },
  responses: { 204: { description: "Removed" }, ...errors(401, 403, 404, 409) },
});

export const userRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listUsers(controlDb(c.env), c.var.principal), 200))
  .openapi(createInvitation, async (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json(await invite(controlDb(c.env), c.var.principal, c.req.valid("json"), origin), 201);
  })
  .openapi(invitationsList, async (c) =>
    c.json(await listInvitations(controlDb(c.env), c.var.principal), 200),
  )
  .openapi(deleteInvitation, async (c) => {
    await revokeInvitation(controlDb(c.env), c.var.principal, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(patchUser, async (c) => {
    const { id } = c.req.valid("param");
    const user = await changeRole(controlDb(c.env), c.var.principal, id, c.req.valid("json").role);
    // Open live sockets were scoped under the old role: close them so they reconnect with the new one.
    c.executionCtx.waitUntil(disconnectFromHub(c.env, c.var.principal.tenant.id, id));
    return c.json(user, 200);
  })
  .openapi(deleteUser, async (c) => {
    const { id } = c.req.valid("param");
    await removeUser(controlDb(c.env), c.var.principal, id);
    c.executionCtx.waitUntil(disconnectFromHub(c.env, c.var.principal.tenant.id, id));
    return c.body(null, 204);
  });
