import { requireAuth } from "../auth/middleware";
import { ValidationError } from "../lib/errors";
import { createRouter, errors, json, security, zodIssuesToDetails } from "../lib/openapi";
import { parseJson, readBody, requireMediaType } from "./body";
import { IngestBatch, IngestResult } from "./schemas";
import { ingestBatch } from "./service/ingest";

export const ingestRoutes = createRouter();

// The body is read by hand (gzip, size cap, one parse), so the route is documented, not validated,
// by the OpenAPI layer.
ingestRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/traces/ingest",
  tags: ["ingest"],
  summary: "Ingest a batch of traces and spans (all or nothing)",
  description:
    "Spans may arrive before their trace and in any order; re-sending a span merges it. Bodies up to 10 MB; `Content-Encoding: gzip` accepted.",
  security: security.apiKey,
  request: { body: { required: true, content: { "application/json": { schema: IngestBatch } } } },
  responses: { 200: json(IngestResult, "Stored"), ...errors(400, 401, 403, 413, 415) },
});

ingestRoutes.post("/traces/ingest", requireAuth({ scope: "ingest" }), async (c) => {
  requireMediaType(c.req.raw, ["application/json"]);
  const parsed = IngestBatch.safeParse(parseJson(await readBody(c.req.raw)));
  if (!parsed.success) {
    throw new ValidationError("Invalid ingest batch", zodIssuesToDetails(parsed.error.issues));
  }
  const deps = { env: c.env, ctx: c.executionCtx, principal: c.var.principal };
  return c.json(await ingestBatch(deps, parsed.data), 200);
});
