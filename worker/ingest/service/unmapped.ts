/**
 * Fields of a native batch that the format does not know. They are never dropped: a span keeps
 * them under `attributes.unmapped` (a trace under `metadata.unmapped`), where rules can see them,
 * and the answer lists each one as a warning with the field it probably meant.
 */
import type { ErrorDetail } from "../../lib/errors";
import type { IngestBatch } from "../schemas";
import { IngestSpan, IngestTrace } from "../schemas";

type Known = { keys: readonly string[]; nested: Record<string, readonly string[]> };

const SPAN: Known = {
  keys: Object.keys(IngestSpan.shape),
  nested: {
    error: ["type", "message"],
    usage: ["input_tokens", "output_tokens", "cost_usd"],
    tool: ["name", "arguments", "result"],
  },
};
const TRACE: Known = { keys: Object.keys(IngestTrace.shape), nested: {} };
const BATCH_KEYS = ["traces", "spans"];

/** Names other tools use for our fields, so the hint is right where spelling distance is not. */
const ALIASES: Record<string, string> = {
  tool_name: "tool.name",
  tool_args: "tool.arguments",
  tool_arguments: "tool.arguments",
  tool_input: "tool.arguments",
  args: "tool.arguments",
  arguments: "tool.arguments",
  tool_result: "tool.result",
  tool_output: "tool.result",
  result: "tool.result",
  input_tokens: "usage.input_tokens",
  output_tokens: "usage.output_tokens",
  prompt_tokens: "usage.input_tokens",
  completion_tokens: "usage.output_tokens",
  cost: "usage.cost_usd",
  cost_usd: "usage.cost_usd",
  parent_span_id: "parent_id",
  parentId: "parent_id",
  parent: "parent_id",
  span_id: "id",
  traceId: "trace_id",
  start_time: "started_at",
  startTime: "started_at",
  end_time: "ended_at",
  endTime: "ended_at",
  kind: "type",
  span_type: "type",
  error_message: "error.message",
  agent_name: "agent",
  service: "agent",
};
const TRACE_ALIASES: Record<string, string> = { trace_id: "id", attributes: "metadata" };
const SPAN_ALIASES: Record<string, string> = { metadata: "attributes", tags: "attributes" };

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

function suggestion(key: string, known: readonly string[], aliases: Record<string, string>): string | null {
  const alias = aliases[key] ?? ALIASES[key];
  if (alias) return alias;
  const lower = key.toLowerCase();
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = distance(lower, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function warning(path: string, hint: string | null, keptAt: string): ErrorDetail {
  const meant = hint ? `; did you mean '${hint}'?` : "";
  return { path, message: `unknown field, kept under ${keptAt}.unmapped${meant}` };
}

/** The likely meant field of an unknown key, as a path from the object (`tool.name`). */
function hintFor(key: string, known: Known, aliases: Record<string, string>): string | null {
  const [head, inner] = key.split(".");
  if (inner === undefined) return suggestion(head, known.keys, aliases);
  const hint = suggestion(inner, known.nested[head] ?? [], {});
  return hint === null || hint.includes(".") ? hint : `${head}.${hint}`;
}

/** Unknown keys of one object (and of its known nested objects), by their path inside it. */
function unknownFields(raw: Record<string, unknown>, known: Known): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!known.keys.includes(key)) {
      found[key] = value;
      continue;
    }
    const nestedKeys = known.nested[key];
    if (!nestedKeys || !isRecord(value)) continue;
    for (const [inner, v] of Object.entries(value)) {
      if (!nestedKeys.includes(inner)) found[`${key}.${inner}`] = v;
    }
  }
  return found;
}

type Kept = Record<string, unknown> | undefined;

function keep(into: Kept, fields: Record<string, unknown>): Record<string, unknown> {
  const previous = isRecord(into?.unmapped) ? into.unmapped : {};
  return { ...into, unmapped: { ...previous, ...fields } };
}

function collect<T extends { attributes?: Kept; metadata?: Kept }>(
  raws: unknown,
  items: T[],
  where: { list: string; known: Known; aliases: Record<string, string>; field: "attributes" | "metadata" },
  warnings: ErrorDetail[],
) {
  if (!Array.isArray(raws)) return;
  items.forEach((item, i) => {
    const raw = raws[i];
    if (!isRecord(raw)) return;
    const fields = unknownFields(raw, where.known);
    const keys = Object.keys(fields);
    if (!keys.length) return;
    for (const key of keys) {
      const hint = hintFor(key, where.known, where.aliases);
      warnings.push(warning(`${where.list}.${i}.${key}`, hint, where.field));
    }
    item[where.field] = keep(item[where.field], fields);
  });
}

/** Moves unknown fields into the validated batch (in place) and lists them. */
export function keepUnmapped(raw: unknown, batch: IngestBatch): ErrorDetail[] {
  const warnings: ErrorDetail[] = [];
  if (!isRecord(raw)) return warnings;
  for (const key of Object.keys(raw)) {
    if (!BATCH_KEYS.includes(key)) {
      warnings.push({
        path: key,
        message: "unknown top-level field, ignored; a batch has `traces` and `spans`",
      });
    }
  }
  const spanWhere = { list: "spans", known: SPAN, aliases: SPAN_ALIASES, field: "attributes" } as const;
  const traceWhere = { list: "traces", known: TRACE, aliases: TRACE_ALIASES, field: "metadata" } as const;
  collect(raw.spans, batch.spans, spanWhere, warnings);
  collect(raw.traces, batch.traces, traceWhere, warnings);
  return warnings;
}
