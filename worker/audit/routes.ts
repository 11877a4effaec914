import { createRoute, z } from "@hono/zod-openapi";
import { PendingApproval } from "../approvals/schemas";
import { isPending } from "../approvals/service";
import { requireAuth } from "../auth/middleware";
import { requestBody, requireMediaType } from "../lib/body";
import { createRouter, errors, json, security } from "../lib/openapi";
import { appendEvents } from "./append";
import { getEvent, listEvents } from "./queries";
import { recorder } from "./recorder";
import {
  AppendResult,
  AuditEvent,
  AuditEventBatch,
  AuditEventInput,
  AuditEventList,
  AuditListQuery,
  AuditSettings,
  AuditSettingsPatch,
  EventIdParam,
} from "./schemas";
import { readSettings, updateSettings } from "./settings-service";

const tags = ["audit"];
const readers = {
  security: security.either,
  middleware: [requireAuth({ scope: "read", roles: ["owner", "admin"] })],
};
const admins = {
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })],
};

const append = createRoute({
  security: security.apiKey,
  middleware: [requireAuth({ scope: "audit:write" })],
  method: "post",
  path: "/audit/events",
  tags,
  summary: "Record events from your own assistants and services (single or batch)",
  description:
    "Needs an API key with the `audit:write` scope. Send one event or `{events: [...]}` (≤ 100). " +
    "An `Idempotency-Key` header (≤ 255 chars) makes retries safe for 24 h: the same key and body " +
    "answer with the first response; the same key with another body is a 409. Secrets in " +
    "`ai.prompt`, `ai.tool_args`, `changes`, `metadata` and `reason` are masked before storage.",
  request: {
    headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
    // Validated by the handler (one event or a batch, with field paths), so not a zod schema here.
    body: {
      required: true,
      content: {
        "application/json": {
          schema: {
            oneOf: [
              { $ref: "#/components/schemas/AuditEventInput" },
              { $ref: "#/components/schemas/AuditEventBatch" },
            ],
          },
        },
      },
    },
  },
  responses: {
    201: json(AppendResult, "Recorded; seq and leaf hash per event, in order"),
    ...errors(400, 401, 403, 409, 413, 415),
  },
});

const list = createRoute({
  ...readers,
  method: "get",
  path: "/audit/events",
  tags,
  summary: "Search the audit log, newest first",
  request: { query: AuditListQuery },
  responses: { 200: json(AuditEventList, "A page of events"), ...errors(400, 401, 403, 404) },
});

const one = createRoute({
  ...readers,
  method: "get",
  path: "/audit/events/{event_id}",
  tags,
  summary: "One audit event",
  request: { params: EventIdParam },
  responses: { 200: json(AuditEvent, "The event"), ...errors(401, 403, 404) },
});

const getSettings = createRoute({
  ...readers,
  method: "get",
  path: "/audit/settings",
  tags,
  summary: "Retention, high-risk event types, dual-approval actions and masking patterns",
  responses: { 200: json(AuditSettings, "Settings"), ...errors(401, 403) },
});

const patchSettings = createRoute({
  ...admins,
  method: "patch",
  path: "/audit/settings",
  tags,
  summary: "Change audit settings",
  description:
    "Retention is never below 180 days. When an action here needs dual approval (by default: lowering " +
    "retention), the answer is 202 with the approval request; another admin approves it.",
  request: { body: { required: true, content: { "application/json": { schema: AuditSettingsPatch } } } },
  responses: {
    200: json(AuditSettings, "Updated"),
    202: json(PendingApproval, "Lowering retention waits for a second admin; other changes apply now"),
    ...errors(400, 401, 403),
  },
});

const router = createRouter();
router.openAPIRegistry.register("AuditEventInput", AuditEventInput);
router.openAPIRegistry.register("AuditEventBatch", AuditEventBatch);
export const auditRoutes = router
  .openapi(append, async (c) => {
    requireMediaType(c.req.raw, ["application/json"]);
    const { bytes, json } = requestBody(c);
    const result = await appendEvents(recorder(c), json, bytes, c.req.header("idempotency-key"));
    if (result.replayed) c.header("idempotent-replayed", "true");
    return c.json(result.body as z.output<typeof AppendResult>, 201);
  })
  .openapi(list, async (c) => c.json(await listEvents(c.var.tenant, c.req.valid("query")), 200))
  .openapi(one, async (c) => c.json(await getEvent(c.var.tenant, c.req.valid("param").event_id), 200))
  .openapi(getSettings, async (c) => c.json(await readSettings(c.var.tenant), 200))
  .openapi(patchSettings, async (c) => {
    const result = await updateSettings(recorder(c), c.var.principal, c.req.valid("json"));
    return isPending(result) ? c.json(result, 202) : c.json(result, 200);
  });
