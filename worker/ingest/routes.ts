import { z } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { requestBody, requireMediaType } from "../lib/body";
import { ValidationError } from "../lib/errors";
import { createRouter, errors, json, security, zodIssuesToDetails } from "../lib/openapi";
import { IngestBatch, IngestResult } from "./schemas";
import { ingestBatch } from "./service/ingest";
import { keepUnmapped } from "./service/unmapped";

export const ingestRoutes = createRouter();

// The body is read once by lib/body (gzip, size cap, one parse), so the route is documented, not
// validated, by the OpenAPI layer.
ingestRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/traces/ingest",
  tags: ["ingest"],
  summary: "Ingest a batch of traces and spans (all or nothing)",
  description:
    "Spans may arrive before their trace and in any order; re-sending a span merges it. Bodies up to 10 MB; `Content-Encoding: gzip` accepted. Unknown fields are kept under `attributes.unmapped` (traces: `metadata.unmapped`) and listed in `warnings`.",
  security: security.apiKey,
  request: {
    query: z.object({
      strict: z.enum(["true", "false"]).optional().openapi({
        description: "`true`: refuse the batch (400) if it has fields the format does not know",
      }),
    }),
    body: { required: true, content: { "application/json": { schema: IngestBatch } } },
  },
  responses: { 200: json(IngestResult, "Stored"), ...errors(400, 401, 403, 413, 415) },
});

ingestRoutes.post("/traces/ingest", requireAuth({ scope: "ingest" }), async (c) => {
  requireMediaType(c.req.raw, ["application/json"]);
  const raw = requestBody(c).json;
  const parsed = IngestBatch.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError("Invalid ingest batch", zodIssuesToDetails(parsed.error.issues));
  }
  const warnings = keepUnmapped(raw, parsed.data);
  if (warnings.length && c.req.query("strict") === "true") {
    throw new ValidationError("The batch has fields the format does not know (strict mode)", warnings);
  }
  const deps = { tenant: c.var.tenant, ctx: c.executionCtx };
  return c.json({ ...(await ingestBatch(deps, parsed.data)), warnings }, 200);
});
