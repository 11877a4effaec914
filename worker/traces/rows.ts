import { type Sparse, selectList } from "../db/rows";
import { SPAN_COLUMNS, type SpanRow, TRACE_COLUMNS, type TraceRow } from "../db/traces";
import { isoTime } from "../lib/time";
import type { Span, Trace } from "./schemas";

/** Stored rows (typed from the drizzle tables in worker/db/traces.ts) mapped onto the wire objects. */
export type { SpanRow, TraceRow } from "../db/traces";

export const traceColumns = (alias?: string) => selectList(TRACE_COLUMNS, alias);
export const spanColumns = (alias?: string) => selectList(SPAN_COLUMNS, alias);

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));

function parse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON object column; anything else stored there reads as null. */
function record(text: string | null): Record<string, unknown> | null {
  const value = parse(text);
  return isRecord(value) ? value : null;
}

/** A JSON list-of-strings column; anything else stored there reads as empty. */
function list(text: string | null): string[] {
  const value = parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * The end a trace sent, else the one its spans imply: the store keeps `ended_at` as sent and, once
 * every span of a trace sent without one has ended, a duration from them (worker/ingest/service/store.ts).
 */
function endedAt(r: Pick<TraceRow, "ended_at" | "started_at" | "duration_ms">): number | null {
  if (r.ended_at !== null) return r.ended_at;
  return r.duration_ms === null ? null : r.started_at + r.duration_ms;
}

export function toTrace(r: TraceRow): Trace {
  return {
    id: r.id,
    agent: r.agent,
    name: r.name,
    started_at: isoTime(r.started_at),
    ended_at: iso(endedAt(r)),
    duration_ms: r.duration_ms,
    status: r.status,
    input: parse(r.input),
    output: parse(r.output),
    user_id: r.user_id,
    session_id: r.session_id,
    metadata: record(r.metadata),
    tags: list(r.tags),
    span_count: r.span_count,
    error_count: r.error_count,
    usage: { input_tokens: r.input_tokens, output_tokens: r.output_tokens, cost_usd: r.cost_usd },
    models: r.models ? r.models.split(",") : [],
    truncated_fields: list(r.truncated_fields),
    api_key_id: r.api_key_id,
    created_by_user_id: r.created_by_user_id,
    worst_outcome: r.worst_outcome,
  };
}

/**
 * The fields of a span that every view shows: the API's span, and the live feed's from the row
 * ingest just wrote (where a field the batch left out is undefined).
 */
type SpanSummaryRow = Sparse<
  Pick<
    SpanRow,
    | "id"
    | "trace_id"
    | "parent_id"
    | "type"
    | "name"
    | "status"
    | "started_at"
    | "ended_at"
    | "duration_ms"
    | "model"
    | "input_tokens"
    | "output_tokens"
    | "cost_usd"
  >
>;

export function toSpanSummary(r: SpanSummaryRow) {
  return {
    id: r.id,
    trace_id: r.trace_id,
    parent_id: r.parent_id ?? null,
    type: r.type,
    name: r.name,
    status: r.status,
    started_at: isoTime(r.started_at),
    ended_at: iso(r.ended_at ?? null),
    duration_ms: r.duration_ms ?? null,
    model: r.model ?? null,
    usage: {
      input_tokens: r.input_tokens ?? null,
      output_tokens: r.output_tokens ?? null,
      cost_usd: r.cost_usd ?? null,
    },
  } satisfies Partial<Span>;
}

export function toSpan(r: SpanRow): Span {
  const error = r.error_type !== null || r.error_message !== null;
  return {
    ...toSpanSummary(r),
    error: error ? { type: r.error_type, message: r.error_message } : null,
    input: parse(r.input),
    output: parse(r.output),
    provider: r.provider,
    tool:
      r.tool_name === null
        ? null
        : { name: r.tool_name, arguments: parse(r.tool_arguments), result: parse(r.tool_result) },
    attributes: record(r.attributes),
    worst_outcome: r.worst_outcome,
    truncated_fields: list(r.truncated_fields),
  };
}
