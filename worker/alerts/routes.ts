import { createRoute } from "@hono/zod-openapi";
import { recorder } from "../audit/recorder";
import { requireAuth } from "../auth/middleware";
import { mediaType, requestBody } from "../lib/body";
import { PayloadTooLargeError, UnsupportedMediaTypeError } from "../lib/errors";
import { createRouter, errors, json, security } from "../lib/openapi";
import { getEvent, listEvents } from "./queries";
import {
  AlertEvent,
  AlertEventIdParam,
  AlertEventList,
  AlertEventQuery,
  AlertRule,
  AlertRuleImportResult,
  AlertRuleList,
  DetectorParam,
} from "./schemas";
import {
  acknowledgeEvent,
  exportAlertRules,
  importAlertRules,
  listAlertRules,
  updateAlertRule,
} from "./service";

const tags = ["alerts"];
const readers = { security: security.either, middleware: [requireAuth({ scope: "read" })] };
const editors = {
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })],
};
const members = {
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin", "member"] })],
};
/** A rules document is a few hundred bytes; anything near this is not one. */
const MAX_RULES_BYTES = 64 * 1024;
const YAML_TYPES = [
  "application/json",
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "text/x-yaml",
  "text/plain",
];

const list = createRoute({
  ...readers,
  method: "get",
  path: "/alerts/events",
  tags,
  summary: "Alert incidents, newest first",
  request: { query: AlertEventQuery },
  responses: { 200: json(AlertEventList, "A page of incidents"), ...errors(400, 401, 403) },
});
const one = createRoute({
  ...readers,
  method: "get",
  path: "/alerts/events/{id}",
  tags,
  summary: "One alert incident",
  request: { params: AlertEventIdParam },
  responses: { 200: json(AlertEvent, "The incident"), ...errors(401, 403, 404) },
});
const acknowledge = createRoute({
  ...members,
  method: "post",
  path: "/alerts/events/{id}/acknowledge",
  tags,
  summary: "Acknowledge an incident (someone is on it); it keeps firing until its condition clears",
  request: { params: AlertEventIdParam },
  responses: { 200: json(AlertEvent, "The incident"), ...errors(401, 403, 404) },
});
const rules = createRoute({
  ...readers,
  method: "get",
  path: "/alerts/rules",
  tags,
  summary: "Every detector with its effective settings and the defaults",
  responses: { 200: json(AlertRuleList, "Rules"), ...errors(401, 403) },
});
const put = createRoute({
  ...editors,
  method: "put",
  path: "/alerts/rules/{detector}",
  tags,
  summary: "Replace one detector's settings (fields left out take their defaults)",
  request: {
    params: DetectorParam,
    body: {
      required: true,
      description: "The detector's settings as JSON; see docs/alerts.md",
      content: { "application/json": { schema: { type: "object" as const, additionalProperties: true } } },
    },
  },
  responses: { 200: json(AlertRule, "Saved"), ...errors(400, 401, 403, 415) },
});
const exported = createRoute({
  ...readers,
  method: "get",
  path: "/alerts/rules/export",
  tags,
  summary: "Every detector's settings as YAML, to keep in source control",
  responses: {
    200: {
      description: "The rules document",
      content: { "application/yaml": { schema: { type: "string" } } },
    },
    ...errors(401, 403),
  },
});
const imported = createRoute({
  ...editors,
  method: "post",
  path: "/alerts/rules/import",
  tags,
  summary: "Apply a rules document (YAML): every detector in it is checked, then all are saved",
  request: {
    body: {
      required: true,
      description: "`detectors:` mapping detector names to settings; see docs/alerts.md",
      content: { "application/yaml": { schema: { type: "string" as const } } },
    },
  },
  responses: { 200: json(AlertRuleImportResult, "Saved"), ...errors(400, 401, 403, 413, 415) },
});

export const alertRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listEvents(c.var.tenant, c.req.valid("query")), 200))
  .openapi(rules, async (c) => c.json(await listAlertRules(c.var.tenant), 200))
  .openapi(exported, async (c) => {
    const text = await exportAlertRules(c.var.tenant);
    return c.body(text, 200, { "content-type": "application/yaml; charset=utf-8" });
  })
  .openapi(one, async (c) => c.json(await getEvent(c.var.tenant, c.req.valid("param").id), 200))
  .openapi(acknowledge, async (c) =>
    c.json(await acknowledgeEvent(recorder(c), c.req.valid("param").id), 200),
  )
  .openapi(put, async (c) => {
    if (mediaType(c.req.raw) !== "application/json")
      throw new UnsupportedMediaTypeError(["application/json"]);
    const { detector } = c.req.valid("param");
    return c.json(await updateAlertRule(recorder(c), detector, requestBody(c).json), 200);
  })
  .openapi(imported, async (c) => {
    if (!YAML_TYPES.includes(mediaType(c.req.raw))) throw new UnsupportedMediaTypeError(YAML_TYPES);
    const { bytes } = requestBody(c);
    if (bytes.byteLength > MAX_RULES_BYTES) throw new PayloadTooLargeError(MAX_RULES_BYTES);
    const text = new TextDecoder().decode(bytes);
    return c.json(await importAlertRules(recorder(c), text), 200);
  });
