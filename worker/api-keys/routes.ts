import { createRoute, z } from "@hono/zod-openapi";
import { PendingApproval } from "../approvals/schemas";
import { isPending, runOrRequest } from "../approvals/service";
import { recorder } from "../audit/recorder";
import { requireAuth } from "../auth/middleware";
import { control } from "../db/client";
import { createRouter, errors, json, jsonBody, security } from "../lib/openapi";
import { ApiKey, ApiKeyList, CreateApiKeyBody, CreatedApiKey, IdParam } from "./schemas";
import { createApiKey, listApiKeys, revokeAllApiKeys, revokeApiKey } from "./service";

const tags = ["api-keys"];
const sessionOnly = [requireAuth({ allowApiKey: false })];

const createKey = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create an API key (the key is shown once)",
  security: security.session,
  middleware: sessionOnly,
  request: jsonBody(CreateApiKeyBody),
  responses: { 201: json(CreatedApiKey, "Created"), ...errors(400, 401, 403) },
});
const listKeys = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List API keys (admins see the tenant's, others their own)",
  security: security.session,
  middleware: sessionOnly,
  responses: { 200: json(ApiKeyList, "Keys, newest first"), ...errors(401) },
});
const revokeKey = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Revoke an API key; it stops working at once",
  security: security.session,
  middleware: sessionOnly,
  request: { params: IdParam },
  responses: { 200: json(ApiKey, "Revoked"), ...errors(401, 403, 404) },
});

const revokeAll = createRoute({
  method: "post",
  path: "/revoke-all",
  tags,
  summary: "Revoke every API key of the tenant (incident response)",
  description: "Needs a second owner or admin by default: then the answer is 202 with the approval request.",
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })],
  responses: {
    200: json(z.object({ revoked: z.number().int() }).openapi("RevokedKeys"), "Revoked"),
    202: json(PendingApproval, "Waiting for a second admin"),
    ...errors(401, 403),
  },
});

export const apiKeyRoutes = createRouter()
  .openapi(createKey, async (c) =>
    c.json(await createApiKey(control(c.env).db, recorder(c), c.var.principal, c.req.valid("json")), 201),
  )
  .openapi(listKeys, async (c) => c.json(await listApiKeys(control(c.env).db, c.var.principal), 200))
  .openapi(revokeAll, async (c) => {
    const p = c.var.principal;
    const result = await runOrRequest(
      recorder(c),
      p,
      "api_key.revoke_all",
      { params: {}, summary: "Revoke every API key of the tenant" },
      () => revokeAllApiKeys(control(c.env).db, recorder(c), p),
    );
    return isPending(result) ? c.json(result, 202) : c.json(result, 200);
  })
  .openapi(revokeKey, async (c) =>
    c.json(await revokeApiKey(control(c.env).db, recorder(c), c.var.principal, c.req.valid("param").id), 200),
  );
