import { createRoute } from "@hono/zod-openapi";
import { IdParam } from "../api-keys/schemas";
import { PendingApproval } from "../approvals/schemas";
import { isPending, runOrRequest } from "../approvals/service";
import { recorder } from "../audit/recorder";
import { requireAuth } from "../auth/middleware";
import { control } from "../db/client";
import { createRouter, errors, json, jsonBody, security } from "../lib/openapi";
import { disconnectFromHub } from "../live/publish";
import { ChangeRoleBody, CreatedInvitation, InvitationList, InviteBody, User, UserList } from "./schemas";
import {
  changeRole,
  checkRoleChange,
  invite,
  listInvitations,
  listUsers,
  removeUser,
  revokeInvitation,
} from "./service";

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
  description: "Granting ownership needs a second owner or admin by default: then the answer is 202.",
  middleware: admins,
  request: { params: IdParam, ...jsonBody(ChangeRoleBody) },
  responses: {
    200: json(User, "Updated"),
    202: json(PendingApproval, "Waiting for a second admin"),
    ...errors(400, 401, 403, 404, 409),
  },
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
  .openapi(list, async (c) => c.json(await listUsers(control(c.env).db, c.var.principal), 200))
  .openapi(createInvitation, async (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json(
      await invite(control(c.env).db, recorder(c), c.var.principal, c.req.valid("json"), origin),
      201,
    );
  })
  .openapi(invitationsList, async (c) =>
    c.json(await listInvitations(control(c.env).db, c.var.principal), 200),
  )
  .openapi(deleteInvitation, async (c) => {
    await revokeInvitation(control(c.env).db, recorder(c), c.var.principal, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(patchUser, async (c) => {
    const { id } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const p = c.var.principal;
    const db = control(c.env).db;
    if (role === "owner") {
      const target = await checkRoleChange(db, p, id, role);
      const result = await runOrRequest(
        recorder(c),
        p,
        "user.grant_owner",
        { params: { user_id: id }, summary: `Make ${target.email} an owner` },
        () => changeRole(db, recorder(c), p, id, role),
      );
      if (isPending(result)) return c.json(result, 202);
      c.executionCtx.waitUntil(disconnectFromHub(c.env, p.tenant.id, id));
      return c.json(result, 200);
    }
    const user = await changeRole(db, recorder(c), p, id, role);
    // Open live sockets were scoped under the old role: close them so they reconnect with the new one.
    c.executionCtx.waitUntil(disconnectFromHub(c.env, c.var.principal.tenant.id, id));
    return c.json(user, 200);
  })
  .openapi(deleteUser, async (c) => {
    const { id } = c.req.valid("param");
    await removeUser(control(c.env).db, recorder(c), c.var.principal, id);
    c.executionCtx.waitUntil(disconnectFromHub(c.env, c.var.principal.tenant.id, id));
    return c.body(null, 204);
  });
