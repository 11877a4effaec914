import { createRoute, type z } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { createRouter, errors, json, jsonBody, security } from "../../lib/openapi";
import { recorder } from "../recorder";
import {
  SiemEndpoint,
  SiemEndpointCreate,
  SiemEndpointIdParam,
  SiemEndpointList,
  SiemEndpointPatch,
  SiemEndpointWithSecret,
  SiemSecret,
  SiemTestResult,
} from "./schemas";
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  readEndpoint,
  rotateSecret,
  testEndpoint,
  updateEndpoint,
} from "./service";

const tags = ["audit"];
const admins = {
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })],
};
const path = "/audit/siem-endpoints";
const params = { params: SiemEndpointIdParam };

const list = createRoute({
  ...admins,
  method: "get",
  path,
  tags,
  summary: "SIEM streaming endpoints with their delivery status",
  responses: { 200: json(SiemEndpointList, "Endpoints"), ...errors(401, 403) },
});

const create = createRoute({
  ...admins,
  method: "post",
  path,
  tags,
  summary: "Stream the audit log to a SIEM over HTTPS",
  description:
    'Events are POSTed in seq order, at least once (deduplicate on `event_id`), as `{"events":[…]}` in ' +
    "`native` or `ocsf` format, signed with HMAC-SHA256 (`x-audittrail-signature`). The signing secret " +
    "is returned only in this response. The URL must be https to a public host. See docs/audit-siem.md.",
  request: jsonBody(SiemEndpointCreate),
  responses: {
    201: json(SiemEndpointWithSecret, "Created; `secret` is shown only now"),
    ...errors(400, 401, 403, 409),
  },
});

const one = createRoute({
  ...admins,
  method: "get",
  path: `${path}/{id}`,
  tags,
  summary: "One SIEM endpoint with its delivery status",
  request: params,
  responses: { 200: json(SiemEndpoint, "The endpoint"), ...errors(401, 403, 404) },
});

const patch = createRoute({
  ...admins,
  method: "patch",
  path: `${path}/{id}`,
  tags,
  summary: "Rename, re-target, change format, pause or resume a SIEM endpoint",
  description: "A paused endpoint keeps its cursor; on resume it catches up on what is at most 7 days old.",
  request: { ...params, ...jsonBody(SiemEndpointPatch) },
  responses: { 200: json(SiemEndpoint, "Updated"), ...errors(400, 401, 403, 404) },
});

const remove = createRoute({
  ...admins,
  method: "delete",
  path: `${path}/{id}`,
  tags,
  summary: "Stop streaming to a SIEM endpoint and forget it",
  request: params,
  responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404) },
});

const rotate = createRoute({
  ...admins,
  method: "post",
  path: `${path}/{id}/rotate-secret`,
  tags,
  summary: "Replace the signing secret (the next delivery uses the new one)",
  request: params,
  responses: { 200: json(SiemSecret, "The new secret, shown only now"), ...errors(401, 403, 404) },
});

const test = createRoute({
  ...admins,
  method: "post",
  path: `${path}/{id}/test`,
  tags,
  summary: "Send one signed test request now and report what the endpoint answered",
  description: 'The body is `{"test":true,"endpoint_id":"…","events":[]}`; the cursor does not move.',
  request: params,
  responses: { 200: json(SiemTestResult, "What happened"), ...errors(401, 403, 404) },
});

export const siemRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listEndpoints(c.var.tenant), 200))
  .openapi(create, async (c) =>
    c.json(
      (await createEndpoint(recorder(c), c.var.principal, c.req.valid("json"))) as z.output<
        typeof SiemEndpointWithSecret
      >,
      201,
    ),
  )
  .openapi(one, async (c) => c.json(await readEndpoint(c.var.tenant, c.req.valid("param").id), 200))
  .openapi(patch, async (c) =>
    c.json(
      await updateEndpoint(recorder(c), c.var.principal, c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  )
  .openapi(remove, async (c) => {
    await deleteEndpoint(recorder(c), c.var.principal, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(rotate, async (c) =>
    c.json(await rotateSecret(recorder(c), c.var.principal, c.req.valid("param").id), 200),
  )
  .openapi(test, async (c) =>
    c.json(await testEndpoint(recorder(c), c.var.principal, c.req.valid("param").id), 200),
  );
