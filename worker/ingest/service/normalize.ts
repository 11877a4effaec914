import { estimateCost } from "../pricing";
import type { IngestBatch, IngestSpan, IngestTrace } from "../schemas";

/** Values longer than this (as JSON text) are cut inline and kept whole in R2. */
export const INLINE_LIMIT = 16_384;

export type Oversized = { key: string; body: string };
type Cell = string | number | null;

/** Positional rows keep the JSON handed to SQLite's json_each small; order matches store.ts. */
export type TraceRow = Cell[];
export type SpanRow = Cell[];

export type NormalizedBatch = {
  traces: TraceRow[];
  spans: SpanRow[];
  /** Trace ids seen only through spans, with the agent to file them under until the trace arrives. */
  placeholders: [traceId: string, agent: string, startedAt: number][];
  agents: string[];
  traceIds: string[];
  oversized: Oversized[];
};

type Cutter = { fields: string[]; ref: string; oversized: Oversized[] };

function toText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** JSON text of a value, cut to the inline limit; the whole value goes to R2 under cut.ref. */
function inline(value: unknown, field: string, cut: Cutter): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value);
  if (text.length <= INLINE_LIMIT) return text;
  cut.fields.push(field);
  cut.oversized.push({ key: `${cut.ref}/${field}.json`, body: text });
  return JSON.stringify(toText(value)?.slice(0, INLINE_LIMIT) ?? "");
}

function traceRow(t: IngestTrace, tenantId: string, oversized: Oversized[]): TraceRow {
  const cut: Cutter = { fields: [], ref: `payloads/${tenantId}/${t.id}/trace`, oversized };
  const input = inline(t.input, "input", cut);
  const output = inline(t.output, "output", cut);
  return [
    t.id,
    t.agent,
    t.name ?? null,
    t.started_at,
    t.ended_at ?? null,
    t.status ?? "unset",
    input,
    output,
    t.user_id ?? null,
    t.session_id ?? null,
    t.metadata ? JSON.stringify(t.metadata) : null,
    t.tags ? JSON.stringify(t.tags) : null,
    cut.fields.length ? JSON.stringify(cut.fields) : null,
    cut.fields.length ? cut.ref : null,
  ];
}

function spanRow(s: IngestSpan, tenantId: string, oversized: Oversized[]): SpanRow {
  const cut: Cutter = { fields: [], ref: `payloads/${tenantId}/${s.trace_id}/${s.id}`, oversized };
  const cost = s.usage?.cost_usd ?? estimateCost(s.model, s.usage?.input_tokens, s.usage?.output_tokens);
  return [
    s.trace_id,
    s.id,
    s.parent_id ?? null,
    s.type,
    s.name,
    s.started_at,
    s.ended_at ?? null,
    s.status,
    s.error?.type ?? null,
    s.error?.message ?? null,
    inline(s.input, "input", cut),
    inline(s.output, "output", cut),
    s.model ?? null,
    s.provider ?? null,
    s.usage?.input_tokens ?? null,
    s.usage?.output_tokens ?? null,
    cost,
    s.tool?.name ?? null,
    inline(s.tool?.arguments, "tool.arguments", cut),
    inline(s.tool?.result, "tool.result", cut),
    s.attributes ? inline(s.attributes, "attributes", cut) : null,
    cut.fields.length ? JSON.stringify(cut.fields) : null,
    cut.fields.length ? cut.ref : null,
  ];
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
    placeholders: [...earliest].map(([id, at]) => [id, spanAgents?.get(id) ?? "unknown", at]),
    agents: [...agents],
    traceIds: [...new Set([...inBatch.keys(), ...earliest.keys()])],
    oversized,
  };
}
