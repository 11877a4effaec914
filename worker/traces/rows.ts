import { isoTime } from "../lib/time";
import type { Span, Trace } from "./schemas";

/** Raw D1 rows (snake_case columns) and their mapping onto the wire objects. */
export type TraceRowDb = Record<string, string | number | null>;

const iso = (ms: unknown) => (typeof ms === "number" ? isoTime(ms) : null);
const str = (v: unknown) => (typeof v === "string" ? v : null);
const num = (v: unknown) => (typeof v === "number" ? v : null);

function parse(v: unknown): unknown {
  if (typeof v !== "string") return null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const list = (v: unknown) => (Array.isArray(parse(v)) ? (parse(v) as string[]) : []);

export const TRACE_COLUMNS = `id, agent, name, started_at, ended_at, duration_ms, status, input, output, user_id,
  session_id, metadata, tags, span_count, error_count, input_tokens, output_tokens, cost_usd, models,
  truncated_fields, api_key_id, created_by_user_id, worst_outcome`;

export function toTrace(r: TraceRowDb): Trace {
  return {
    id: String(r.id),
    agent: String(r.agent),
    name: str(r.name),
    started_at: iso(r.started_at) ?? isoTime(0),
    ended_at: iso(r.ended_at),
    duration_ms: num(r.duration_ms),
    status: r.status as Trace["status"],
    input: parse(r.input),
    output: parse(r.output),
    user_id: str(r.user_id),
    session_id: str(r.session_id),
    metadata: parse(r.metadata) as Trace["metadata"],
    tags: list(r.tags),
    span_count: Number(r.span_count ?? 0),
    error_count: Number(r.error_count ?? 0),
    usage: {
      input_tokens: num(r.input_tokens),
      output_tokens: num(r.output_tokens),
      cost_usd: num(r.cost_usd),
    },
    models: typeof r.models === "string" && r.models ? r.models.split(",") : [],
    truncated_fields: list(r.truncated_fields),
    api_key_id: str(r.api_key_id),
    created_by_user_id: str(r.created_by_user_id),
    worst_outcome: str(r.worst_outcome) as Trace["worst_outcome"],
  };
}

export const SPAN_COLUMNS = `trace_id, id, parent_id, type, name, started_at, ended_at, duration_ms, status,
  error_type, error_message, input, output, model, provider, input_tokens, output_tokens, cost_usd,
  tool_name, tool_arguments, tool_result, attributes, truncated_fields, worst_outcome`;

export function toSpan(r: TraceRowDb): Span {
  const error = r.error_type !== null || r.error_message !== null;
  return {
    id: String(r.id),
    trace_id: String(r.trace_id),
    parent_id: str(r.parent_id),
    type: r.type as Span["type"],
    name: String(r.name),
    started_at: iso(r.started_at) ?? isoTime(0),
    ended_at: iso(r.ended_at),
    duration_ms: num(r.duration_ms),
    status: r.status as Span["status"],
    error: error ? { type: str(r.error_type), message: str(r.error_message) } : null,
    input: parse(r.input),
    output: parse(r.output),
    model: str(r.model),
    provider: str(r.provider),
    usage: {
      input_tokens: num(r.input_tokens),
      output_tokens: num(r.output_tokens),
      cost_usd: num(r.cost_usd),
    },
    tool:
      r.tool_name === null
        ? null
        : { name: String(r.tool_name), arguments: parse(r.tool_arguments), result: parse(r.tool_result) },
    attributes: parse(r.attributes) as Span["attributes"],
    worst_outcome: str(r.worst_outcome) as Span["worst_outcome"],
    truncated_fields: list(r.truncated_fields),
  };
}
