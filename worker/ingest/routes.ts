import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { requestBody, requireMediaType } from "../lib/body";
import { ValidationError } from "../lib/errors";
import { createRouter, documentedBody, errors, json, security } from "../lib/openapi";
import { IngestBatch, IngestResult } from "./schemas";
import { ingestBatch, serverTiming } from "./service/ingest";
import { keepUnmapped } from "./service/unmapped";
import { parseIngestBatch } from "./validate";

const router = createRouter();

// The body is read once by lib/body (gzip, size cap, one parse) and parsed here, so unknown fields
// can be kept and reported: the route documents it and does not validate it through OpenAPI.
const ingest = createRoute({
  method: "post",
  path: "/traces/ingest",
  tags: ["ingest"],
  summary: "Ingest a batch of traces and spans (all or nothing)",
  description:
    "Spans may arrive before their trace and in any order; re-sending a span merges it. Bodies up to 10 MB; `Content-Encoding: gzip` accepted. Unknown fields are kept under `attributes.unmapped` (traces: `metadata.unmapped`) and listed in `warnings`.",
  security: security.apiKey,
  middleware: [requireAuth({ scope: "ingest" })],
  request: {
    query: z.object({
      strict: z.enum(["true", "false"]).optional().openapi({
        description: "`true`: refuse the batch (400) if it has fields the format does not know",
      }),
    }),
    body: {
      required: true,
      content: { "application/json": { schema: documentedBody(router, "IngestBatch", IngestBatch) } },
    },
  },
  responses: { 200: json(IngestResult, "Stored"), ...errors(400, 401, 403, 413, 415) },
});

export const ingestRoutes = router.openapi(ingest, async (c) => {
  requireMediaType(c.req.raw, ["application/json"]);
  const raw = requestBody(c).json;
  const batch = parseIngestBatch(raw);
  const warnings = keepUnmapped(raw, batch);
  if (warnings.length && c.req.valid("query").strict === "true") {
    throw new ValidationError("The batch has fields the format does not know (strict mode)", warnings);
  }
  const deps = { tenant: c.var.tenant, ctx: c.executionCtx };
  const { sql, ...result } = await ingestBatch(deps, batch);
  c.header("server-timing", serverTiming(sql));
  return c.json({ ...result, warnings }, 200);
});
