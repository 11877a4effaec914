import { z } from "@hono/zod-openapi";
import { SpanStatus, SpanType } from "../ingest/schemas";
import { hasSearchableWord, NO_SEARCHABLE_WORDS } from "../lib/free-text";
import { IsoTime } from "../lib/time";

const WorstOutcome = z
  .enum(["pass", "amber", "red"])
  .nullable()
  .openapi({ description: "Worst governor outcome (null until evaluated)" });

const Usage = z.object({
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  cost_usd: z.number().nullable(),
});

export const Trace = z
  .object({
    id: z.string(),
    agent: z.string(),
    name: z.string().nullable(),
    started_at: z.iso.datetime(),
    ended_at: z.iso.datetime().nullable(),
    duration_ms: z.number().int().nullable(),
    status: SpanStatus,
    input: z.unknown().nullable(),
    output: z.unknown().nullable(),
    user_id: z.string().nullable(),
    session_id: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    tags: z.array(z.string()),
    span_count: z.number().int(),
    error_count: z.number().int(),
    usage: Usage,
    models: z.array(z.string()),
    truncated_fields: z.array(z.string()),
    api_key_id: z.string().nullable(),
    created_by_user_id: z.string().nullable(),
    worst_outcome: WorstOutcome,
  })
  .openapi("Trace");

export const Span = z
  .object({
    id: z.string(),
    trace_id: z.string(),
    parent_id: z.string().nullable(),
    type: SpanType,
    name: z.string(),
    started_at: z.iso.datetime(),
    ended_at: z.iso.datetime().nullable(),
    duration_ms: z.number().int().nullable(),
    status: SpanStatus,
    error: z.object({ type: z.string().nullable(), message: z.string().nullable() }).nullable(),
    input: z.unknown().nullable(),
    output: z.unknown().nullable(),
    model: z.string().nullable(),
    provider: z.string().nullable(),
    usage: Usage,
    tool: z
      .object({ name: z.string(), arguments: z.unknown().nullable(), result: z.unknown().nullable() })
      .nullable(),
    attributes: z.record(z.string(), z.unknown()).nullable(),
    worst_outcome: WorstOutcome,
    truncated_fields: z.array(z.string()).openapi({
      description: "Fields cut to 16 KB inline; fetch the whole value from /api/v1/spans/{id}/payload",
    }),
  })
  .openapi("Span");

export const TreeSpan = Span.extend({ depth: z.number().int() }).openapi("TreeSpan");

export const TraceDetail = z
  .object({
    trace: Trace,
    spans: z.array(TreeSpan).openapi({ description: "Depth-first tree order, siblings by start time" }),
    totals: z.object({
      spans: z.number().int(),
      errors: z.number().int(),
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      cost_usd: z.number(),
      max_depth: z.number().int(),
    }),
  })
  .openapi("TraceDetail");

export const DagNode = z
  .object({
    id: z.string(),
    parent_id: z.string().nullable(),
    type: SpanType,
    name: z.string(),
    status: SpanStatus,
    started_at: z.iso.datetime(),
    duration_ms: z.number().int().nullable(),
    depth: z.number().int(),
    model: z.string().nullable(),
    tool_name: z.string().nullable(),
    worst_outcome: WorstOutcome,
    child_count: z.number().int(),
    descendant_count: z.number().int(),
    collapsed: z
      .boolean()
      .openapi({ description: "Subtree folded by default (traces over 100 nodes, depth 3)" }),
    hidden: z.boolean().openapi({ description: "Inside a collapsed subtree" }),
  })
  .openapi("DagNode");

export const Dag = z
  .object({
    nodes: z.array(DagNode),
    edges: z.array(z.object({ source: z.string(), target: z.string() })),
  })
  .openapi("Dag");

export const TraceListQuery = z.object({
  agent: z.string().max(200).optional(),
  status: SpanStatus.optional(),
  from: IsoTime.optional().openapi({ description: "started at or after" }),
  to: IsoTime.optional().openapi({ description: "started before" }),
  q: z
    .string()
    .trim()
    .max(200)
    .refine(hasSearchableWord, NO_SEARCHABLE_WORDS)
    .optional()
    .openapi({ description: "Full-text search over names, inputs and outputs; needs a letter or digit" }),
  min_duration_ms: z.coerce.number().int().nonnegative().optional(),
  model: z.string().max(200).optional(),
  tag: z.string().max(100).optional(),
  has_violation: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "true: traces with an amber or red governor outcome; false: none" }),
  capability: z.string().min(1).max(200).optional().openapi({
    description: "Traces of this capability (docs/analytics.md; as fresh as the analytics rollups)",
  }),
  workspace: z.string().min(1).max(200).optional().openapi({ description: "Traces of this workspace" }),
  provider: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "Traces whose LLM provider is this (`openai`, `anthropic`, …, `unspecified`)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const TraceList = z
  .object({ data: z.array(Trace), next_cursor: z.string().nullable() })
  .openapi("TraceList");

export const TraceIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const PayloadQuery = z.object({
  field: z.enum(["input", "output", "tool.arguments", "tool.result", "attributes"]),
});

export type Trace = z.output<typeof Trace>;
export type Span = z.output<typeof Span>;
export type TreeSpan = z.output<typeof TreeSpan>;
export type TraceDetail = z.output<typeof TraceDetail>;
export type DagNode = z.output<typeof DagNode>;
export type Dag = z.output<typeof Dag>;
export type TraceListQuery = z.output<typeof TraceListQuery>;
