import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { traceReader } from "../auth/visibility";
import { NotFoundError } from "../lib/errors";
import { createRouter, errors, json, security } from "../lib/openapi";
import { getSpan, getTraceDetail, getTraceSpans, listTraces, spanPayloadKey } from "./queries";
import { Dag, PayloadQuery, Span, TraceDetail, TraceIdParam, TraceList, TraceListQuery } from "./schemas";
import { toDag } from "./tree";

const readers = [requireAuth({ scope: "read" })];
const base = { security: security.either, middleware: readers };

const list = createRoute({
  ...base,
  method: "get",
  path: "/traces",
  tags: ["traces"],
  summary: "List traces, newest first",
  request: { query: TraceListQuery },
  responses: { 200: json(TraceList, "A page of traces"), ...errors(400, 401, 403) },
});
const detail = createRoute({
  ...base,
  method: "get",
  path: "/traces/{id}",
  tags: ["traces"],
  summary: "A trace with its spans in tree order",
  request: { params: TraceIdParam },
  responses: { 200: json(TraceDetail, "Trace and spans"), ...errors(401, 403, 404) },
});
const dag = createRoute({
  ...base,
  method: "get",
  path: "/traces/{id}/dag",
  tags: ["traces"],
  summary: "Execution DAG of a trace",
  request: { params: TraceIdParam },
  responses: { 200: json(Dag, "Nodes and edges"), ...errors(401, 403, 404) },
});
const span = createRoute({
  ...base,
  method: "get",
  path: "/spans/{id}",
  tags: ["traces"],
  summary: "One span",
  request: { params: TraceIdParam },
  responses: { 200: json(Span, "The span"), ...errors(401, 403, 404) },
});
const payload = createRoute({
  ...base,
  method: "get",
  path: "/spans/{id}/payload",
  tags: ["traces"],
  summary: "Whole value of a span field that was truncated inline",
  request: { params: TraceIdParam, query: PayloadQuery },
  responses: {
    200: json(z.unknown(), "The field's JSON"),
    ...errors(400, 401, 403, 404),
  },
});

export const traceRoutes = createRouter()
  .openapi(list, async (c) => {
    return c.json(await listTraces(traceReader(c.var.tenant), c.req.valid("query")), 200);
  })
  .openapi(detail, async (c) => {
    return c.json(await getTraceDetail(traceReader(c.var.tenant), c.req.valid("param").id), 200);
  })
  .openapi(dag, async (c) => {
    const spans = await getTraceSpans(traceReader(c.var.tenant), c.req.valid("param").id);
    return c.json(toDag(spans), 200);
  })
  .openapi(span, async (c) => {
    return c.json(await getSpan(traceReader(c.var.tenant), c.req.valid("param").id), 200);
  })
  .openapi(payload, async (c) => {
    const { id } = c.req.valid("param");
    const key = await spanPayloadKey(traceReader(c.var.tenant), id, c.req.valid("query").field);
    const object = await c.env.ARCHIVE.get(key);
    if (!object) throw new NotFoundError("Stored payload");
    return c.json(await object.json(), 200);
  });
