import { z } from "@hono/zod-openapi";
import { EventTime } from "../lib/time";

/** ISO 8601 with offset, or epoch milliseconds; stored as UTC milliseconds. */
export const Timestamp = EventTime.openapi({ example: "2026-11-23T10:15:30.123Z" });

const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.:-]+$/, "only letters, digits and . _ : - are allowed");

export const SpanType = z
  .enum(["llm", "tool", "chain", "agent", "retriever", "embedding", "guardrail", "other"])
  .openapi("SpanType");
export const SpanStatus = z.enum(["ok", "error", "unset"]).openapi("SpanStatus");

const Attributes = z.record(z.string().max(200), z.unknown());

export const IngestTrace = z
  .object({
    id: Id,
    agent: z.string().min(1).max(200),
    name: z.string().max(500).optional(),
    started_at: Timestamp,
    ended_at: Timestamp.optional(),
    status: SpanStatus.optional(),
    input: z.unknown().optional(),
    output: z.unknown().optional(),
    user_id: z.string().max(200).optional(),
    session_id: z.string().max(200).optional(),
    metadata: Attributes.optional(),
    tags: z.array(z.string().min(1).max(100)).max(50).optional(),
  })
  .openapi("IngestTrace");

export const IngestSpan = z
  .object({
    id: Id,
    trace_id: Id,
    parent_id: Id.nullish(),
    type: SpanType,
    name: z.string().min(1).max(500),
    started_at: Timestamp,
    ended_at: Timestamp.optional(),
    status: SpanStatus.default("unset"),
    error: z.object({ type: z.string().max(200).optional(), message: z.string().max(10_000) }).optional(),
    input: z.unknown().optional(),
    output: z.unknown().optional(),
    model: z.string().max(200).optional(),
    provider: z.string().max(100).optional(),
    usage: z
      .object({
        input_tokens: z.number().int().nonnegative().optional(),
        output_tokens: z.number().int().nonnegative().optional(),
        cost_usd: z.number().nonnegative().optional(),
      })
      .optional(),
    tool: z
      .object({
        name: z.string().min(1).max(200),
        arguments: z.unknown().optional(),
        result: z.unknown().optional(),
      })
      .optional(),
    attributes: Attributes.optional(),
  })
  .openapi("IngestSpan");

export const MAX_TRACES_PER_BATCH = 1000;
export const MAX_SPANS_PER_BATCH = 5000;

export const IngestBatch = z
  .object({
    traces: z.array(IngestTrace).max(MAX_TRACES_PER_BATCH).default([]),
    spans: z.array(IngestSpan).max(MAX_SPANS_PER_BATCH).default([]),
  })
  .refine((b) => b.traces.length + b.spans.length > 0, {
    message: "a batch needs at least one trace or span",
    path: ["spans"],
  })
  .openapi("IngestBatch");

export const IngestResult = z
  .object({
    accepted: z.object({ traces: z.number().int(), spans: z.number().int() }),
    truncated: z
      .number()
      .int()
      .openapi({ description: "fields cut to the inline limit; whole values are kept in R2" }),
    warnings: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .openapi({ description: "fields the format does not know, where they were kept, what was meant" }),
  })
  .openapi("IngestResult");

export type IngestTrace = z.output<typeof IngestTrace>;
export type IngestSpan = z.output<typeof IngestSpan>;
export type IngestBatch = z.output<typeof IngestBatch>;
export type IngestResult = z.output<typeof IngestResult>;
