import type { TenantContext } from "../../db/client";
import { type SpanRow, spanColumns, toSpan } from "../../traces/rows";
import type { Span } from "../../traces/schemas";
import { compileRule } from "../rules/compile";
import { parseRule } from "../rules/parse";
import type { DryRunResult } from "../schemas";
import { evaluateTrace } from "./evaluate";

const MAX_MATCHES = 100;

/** The spans of the most recent traces, newest trace first, at most `limit` spans in all. */
async function recentSpans(db: D1Database, tenantId: string, limit: number) {
  const { results } = await db
    .prepare(`SELECT ${spanColumns("s")}, t.agent AS trace_agent
      FROM spans s JOIN (SELECT id, agent, started_at FROM traces WHERE tenant_id = ?1 ORDER BY started_at DESC LIMIT ?2) t
        ON s.trace_id = t.id
      WHERE s.tenant_id = ?1 ORDER BY t.started_at DESC, s.started_at`)
    .bind(tenantId, limit)
    .all<SpanRow & { trace_agent: string }>();
  const traces = new Map<string, { agent: string; spans: Span[] }>();
  for (const row of results.slice(0, limit)) {
    const span = toSpan(row);
    const entry = traces.get(span.trace_id) ?? { agent: row.trace_agent, spans: [] };
    entry.spans.push(span);
    traces.set(span.trace_id, entry);
  }
  return traces;
}

/** Evaluates a draft rule against recent spans without saving anything. */
export async function dryRun(
  tenant: TenantContext,
  rule: string | Record<string, unknown>,
  limit: number,
): Promise<DryRunResult> {
  const def = typeof rule === "string" ? parseRule(rule, "yaml") : parseRule(JSON.stringify(rule), "json");
  const active = { id: "draft", revision: 0, def, compiled: compileRule(def) };
  const traces = limit > 0 ? await recentSpans(tenant.d1, tenant.id, limit) : new Map();
  const counts = { pass: 0, amber: 0, red: 0, error: 0, not_applicable: 0 };
  const matches: DryRunResult["matches"] = [];
  let checked = 0;
  for (const { agent, spans } of traces.values()) {
    checked += spans.length;
    const rows = evaluateTrace([active], spans, agent, spans);
    // A trace-level rule answers once per trace, not per span: its other spans are not skipped.
    if (active.compiled.scope === "span") counts.not_applicable += spans.length - rows.length;
    for (const row of rows) {
      counts[row.outcome] += 1;
      if (row.outcome !== "pass" && matches.length < MAX_MATCHES) {
        matches.push({
          trace_id: row.trace_id,
          span_id: row.span_id,
          span_name: row.span_name,
          outcome: row.outcome,
          score: row.score,
          measured: row.measured,
          explanation: row.explanation,
        });
      }
    }
  }
  return { rule: def as unknown as Record<string, unknown>, spans_checked: checked, counts, matches };
}
