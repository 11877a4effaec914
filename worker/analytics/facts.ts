/**
 * What the rollups count of one trace (its fact), derived from the trace and its spans. The
 * precedence is documented in docs/analytics.md ("Terms"); change both together.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Longest capability and workspace names kept (longer ones are cut). */
const NAME_CHARS = 200;

export type Fact = {
  started_at: number;
  capability: string;
  provider: string;
  workspace: string;
  error: number;
  latency_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  prompt_chars: number | null;
};

export const FACT_COLUMNS = [
  "started_at",
  "capability",
  "provider",
  "workspace",
  "error",
  "latency_ms",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "prompt_chars",
] as const satisfies readonly (keyof Fact)[];

/** A changed trace: its new fact, its cursor position and the fact last folded (if any). */
export type ChangedTrace = Fact & { pk: number; trace_id: string; updated_at: number; old: Fact | null };

const spansOf = "FROM spans s WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.id";
const firstLlm = `${spansOf} AND s.type = 'llm'`;
const text = (expr: string) => `nullif(CAST(${expr} AS TEXT), '')`;

/**
 * A trace's fact as SQL expressions over `t` (traces) and its spans. The capability attribute is
 * looked for with instr() before json_extract(): most spans have none, and a substring search
 * costs far less than parsing their attributes.
 */
export const FACT_SQL: Record<keyof Fact, string> = {
  started_at: "t.started_at",
  capability: `substr(coalesce(${text("json_extract(t.metadata, '$.capability')")},
    (SELECT ${text("json_extract(s.attributes, '$.capability')")} ${spansOf}
      AND instr(s.attributes, '"capability"') > 0 AND json_extract(s.attributes, '$.capability') IS NOT NULL
      ORDER BY s.started_at, s.id LIMIT 1),
    t.agent), 1, ${NAME_CHARS})`,
  provider: `coalesce((SELECT lower(s.provider) ${firstLlm} AND s.provider IS NOT NULL AND s.provider <> ''
    ORDER BY s.started_at, s.id LIMIT 1), 'unspecified')`,
  workspace: `substr(coalesce(${text("json_extract(t.metadata, '$.workspace_id')")},
    nullif(t.user_id, ''), nullif(t.session_id, ''), 'unassigned'), 1, ${NAME_CHARS})`,
  error: "t.status = 'error'",
  latency_ms: "t.duration_ms",
  input_tokens: "t.input_tokens",
  output_tokens: "t.output_tokens",
  cost_usd: "t.cost_usd",
  prompt_chars: `coalesce(length(t.input), (SELECT length(s.input) ${firstLlm} ORDER BY s.started_at, s.id LIMIT 1))`,
};

/**
 * Traces of tenant ?1 changed after cursor (?2 updated_at, ?3 pk) and not folded as they are now,
 * oldest change first, at most ?4, each with the fact last folded for it (`f_*`, null when never
 * folded). Traces the fold has seen at this `updated_at` cost an index probe each, not their spans.
 */
export const CHANGED_TRACES = `
SELECT t.pk, t.id AS trace_id, t.updated_at,
  ${FACT_COLUMNS.map((c) => `${FACT_SQL[c]} AS ${c}`).join(",\n  ")},
  f.trace_id IS NOT NULL AS folded,
  ${FACT_COLUMNS.map((c) => `f.${c} AS f_${c}`).join(", ")}
FROM traces t LEFT JOIN analytics_facts f ON f.tenant_id = t.tenant_id AND f.trace_id = t.id
WHERE t.tenant_id = ?1 AND (t.updated_at, t.pk) > (?2, ?3)
  AND (f.source_updated_at IS NULL OR f.source_updated_at <> t.updated_at)
ORDER BY t.updated_at, t.pk
LIMIT ?4`;

type Row = Record<string, unknown>;

function factFrom(row: Row, prefix: string): Fact {
  const num = (c: string) => Number(row[prefix + c] ?? 0);
  const nullable = (c: string) => (row[prefix + c] == null ? null : Number(row[prefix + c]));
  return {
    started_at: num("started_at"),
    capability: String(row[`${prefix}capability`]),
    provider: String(row[`${prefix}provider`]),
    workspace: String(row[`${prefix}workspace`]),
    error: num("error") ? 1 : 0,
    latency_ms: nullable("latency_ms"),
    input_tokens: num("input_tokens"),
    output_tokens: num("output_tokens"),
    cost_usd: num("cost_usd"),
    prompt_chars: nullable("prompt_chars"),
  };
}

export function changedTrace(row: Row): ChangedTrace {
  return {
    ...factFrom(row, ""),
    pk: Number(row.pk),
    trace_id: String(row.trace_id),
    updated_at: Number(row.updated_at),
    old: row.folded ? factFrom(row, "f_") : null,
  };
}

export function sameFact(a: Fact, b: Fact | null): boolean {
  return b !== null && FACT_COLUMNS.every((c) => a[c] === b[c]);
}

export const dayOf = (ms: number) => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
export const hourOf = (ms: number) => ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS);
