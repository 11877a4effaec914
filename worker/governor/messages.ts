import { z } from "zod";

/** A governor job: evaluate these stored spans against the tenant's enabled rules. */
export const EvaluateSpans = z.object({
  kind: z.literal("evaluate"),
  tenant_id: z.string(),
  /** [trace_id, span_id] pairs; ≤ 500 per message keeps bodies far below the 128 KB queue limit. */
  spans: z
    .array(z.tuple([z.string(), z.string()]))
    .min(1)
    .max(500),
});
export type EvaluateSpans = z.output<typeof EvaluateSpans>;

export const SPANS_PER_MESSAGE = 500;
