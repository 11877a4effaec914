import { z } from "@hono/zod-openapi";
import { MAX_URL_LENGTH } from "./url";

export const SiemFormat = z.enum(["ocsf", "native"]).openapi("SiemFormat", {
  description: "`native`: AuditTrail events as in the API; `ocsf`: OCSF 1.8 API Activity",
});

const name = z.string().trim().min(1).max(100);
const url = z
  .string()
  .trim()
  .min(1)
  .max(MAX_URL_LENGTH)
  .openapi({ example: "https://siem.example.com/ingest/audittrail" });

export const SiemEndpointCreate = z
  .object({
    name,
    url,
    format: SiemFormat,
    start: z.enum(["now", "beginning"]).default("now").openapi({
      description:
        "`now`: events from this endpoint's own creation event on; `beginning`: every event still in the log",
    }),
    enabled: z.boolean().default(true),
  })
  .strict()
  .openapi("SiemEndpointCreate");
export type SiemEndpointCreate = z.output<typeof SiemEndpointCreate>;

export const SiemEndpointPatch = z
  .object({
    name: name.optional(),
    url: url.optional(),
    format: SiemFormat.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi("SiemEndpointPatch");
export type SiemEndpointPatch = z.output<typeof SiemEndpointPatch>;

const time = z.iso.datetime().nullable();

export const SiemEndpoint = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    format: SiemFormat,
    enabled: z.boolean(),
    created_at: z.iso.datetime(),
    created_by: z.string(),
    cursor_seq: z.number().int().openapi({ description: "Last seq delivered (in order, at least once)" }),
    head_seq: z.number().int().openapi({ description: "The tenant's latest seq" }),
    lag: z.number().int().openapi({ description: "head_seq − cursor_seq: events waiting for this endpoint" }),
    delivered_count: z.number().int(),
    attempts: z.number().int().openapi({ description: "Consecutive failed attempts (0 after a success)" }),
    last_attempt_at: time,
    last_success_at: time,
    last_status: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "HTTP status of the last attempt; null on network error" }),
    last_error: z.string().nullable(),
    next_attempt_at: time.openapi({ description: "When the next retry is due while failing" }),
    buffered_since: time.openapi({
      description: "received_at of the oldest undelivered event; events owed for over 7 days are skipped",
    }),
  })
  .openapi("SiemEndpoint");
export type SiemEndpoint = z.output<typeof SiemEndpoint>;

export const SiemEndpointWithSecret = SiemEndpoint.extend({
  secret: z.string().openapi({ description: "HMAC signing secret (`whsec_…`), shown only now" }),
}).openapi("SiemEndpointWithSecret");

export const SiemEndpointList = z.object({ data: z.array(SiemEndpoint) }).openapi("SiemEndpointList");

export const SiemSecret = z
  .object({ id: z.string(), secret: z.string().openapi({ description: "The new secret, shown only now" }) })
  .openapi("SiemSecret");

export const SiemTestResult = z
  .object({
    ok: z.boolean(),
    status: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int(),
    delivery_id: z.string(),
  })
  .openapi("SiemTestResult");

export const SiemEndpointIdParam = z.object({ id: z.string().min(1).max(100) });

/** Queue message: deliver this endpoint's backlog. */
export const SiemMessage = z.object({ tenant_id: z.string().min(1), endpoint_id: z.string().min(1) });
export type SiemMessage = z.output<typeof SiemMessage>;
