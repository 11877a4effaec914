import type { SpanInsert, TraceInsert } from "../../db/traces";
import { estimateCost } from "../pricing";
import type { IngestBatch, IngestSpan, IngestTrace } from "../schemas";

/** Values longer than this (as JSON text) are cut inline and kept whole in R2. */
export const INLINE_LIMIT = 16_384;

export type Oversized = { key: string; body: string };

/** A trace seen only through its spans, filed under this agent until the trace itself arrives. */
export type Placeholder = Pick<TraceInsert, "id" | "agent" | "started_at">;

export type NormalizedBatch = {
  traces: TraceInsert[];
  spans: SpanInsert[];
  placeholders: Placeholder[];
  agents: string[];
  traceIds: string[];
  oversized: Oversized[];
};

type Cutter = { fields: string[]; ref: string; oversized: Oversized[] };

function toText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** JSON text of a value, cut to the inline limit; the whole value goes to R2 under cut.ref. */
function inline(value: unknown, field: string, cut: Cutter): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = JSON.stringify(value);
  if (text.length <= INLINE_LIMIT) return text;
  cut.fields.push(field);
  cut.oversized.push({ key: `${cut.ref}/${field}.json`, body: text });
  return JSON.stringify(toText(value)?.slice(0, INLINE_LIMIT) ?? "");
}

const json = (value: unknown) => (value ? JSON.stringify(value) : undefined);

function traceRow(t: IngestTrace, tenantId: string, oversized: Oversized[]): TraceInsert {
  const cut: Cutter = { fields: [], ref: `payloads/${tenantId}/${t.id}/trace`, oversized };
  return {
    id: t.id,
    agent: t.agent,
    name: t.name,
    started_at: t.started_at,
    ended_at: t.ended_at,
    status: t.status ?? "unset",
    input: inline(t.input, "input", cut),
    output: inline(t.output, "output", cut),
    user_id: t.user_id,
    session_id: t.session_id,
    metadata: json(t.metadata),
    tags: json(t.tags),
    truncated_fields: cut.fields.length ? JSON.stringify(cut.fields) : undefined,
    payload_ref: cut.fields.length ? cut.ref : undefined,
  };
}

function spanRow(s: IngestSpan, tenantId: string, oversized: Oversized[]): SpanInsert {
  const cut: Cutter = { fields: [], ref: `payloads/${tenantId}/${s.trace_id}/${s.id}`, oversized };
  const usage = s.usage;
  return {
    trace_id: s.trace_id,
    id: s.id,
    parent_id: s.parent_id,
    type: s.type,
    name: s.name,
    started_at: s.started_at,
    ended_at: s.ended_at,
    status: s.status,
    error_type: s.error?.type,
    error_message: s.error?.message,
    input: inline(s.input, "input", cut),
    output: inline(s.output, "output", cut),
    model: s.model,
    provider: s.provider,
    input_tokens: usage?.input_tokens,
    output_tokens: usage?.output_tokens,
    cost_usd: usage?.cost_usd ?? estimateCost(s.model, usage?.input_tokens, usage?.output_tokens),
    tool_name: s.tool?.name,
    tool_arguments: inline(s.tool?.arguments, "tool.arguments", cut),
    tool_result: inline(s.tool?.result, "tool.result", cut),
    attributes: s.attributes ? inline(s.attributes, "attributes", cut) : undefined,
    truncated_fields: cut.fields.length ? JSON.stringify(cut.fields) : undefined,
    payload_ref: cut.fields.length ? cut.ref : undefined,
  };
}

/**
 * Flattens a validated batch into rows. `spanAgents` names the agent of spans whose trace is not
 * in the batch (OTLP knows it from service.name; native batches fall back to "unknown").
 */
export function normalizeBatch(
  batch: IngestBatch,
  tenantId: string,
  spanAgents?: ReadonlyMap<string, string>,
): NormalizedBatch {
  const oversized: Oversized[] = [];
  const inBatch = new Map(batch.traces.map((t) => [t.id, t.agent]));
  const earliest = new Map<string, number>();
  for (const s of batch.spans) {
    if (inBatch.has(s.trace_id)) continue;
    const seen = earliest.get(s.trace_id);
    if (seen === undefined || s.started_at < seen) earliest.set(s.trace_id, s.started_at);
  }
  const agents = new Set(batch.traces.map((t) => t.agent));
  for (const agent of spanAgents?.values() ?? []) agents.add(agent);
  return {
    traces: batch.traces.map((t) => traceRow(t, tenantId, oversized)),
    spans: batch.spans.map((s) => spanRow(s, tenantId, oversized)),
    placeholders: [...earliest].map(([id, at]) => ({
      id,
      agent: spanAgents?.get(id) ?? "unknown",
      started_at: at,
    })),
    agents: [...agents],
    traceIds: [...new Set([...inBatch.keys(), ...earliest.keys()])],
    oversized,
  };
}
