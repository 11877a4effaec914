import type { EvaluationRow } from "./evaluate";

const col = (name: string) => `value ->> '$.${name}'`;
const COLUMNS = [
  "id",
  "trace_id",
  "span_id",
  "rule_id",
  "rule_revision",
  "rule_version",
  "rule_name",
  "policy_group",
  "severity",
  "agent",
  "span_type",
  "span_name",
  "outcome",
  "score",
  "measured",
  "limit_value",
  "explanation",
  "span_started_at",
];

const UPSERT = `
INSERT INTO constitutional_evaluations (tenant_id, ${COLUMNS.join(", ")}, evaluated_at)
SELECT ?1, ${COLUMNS.map(col).join(", ")}, ?2 FROM json_each(?3) WHERE true
ON CONFLICT (tenant_id, trace_id, span_id, rule_id, rule_revision) DO UPDATE SET
  outcome = excluded.outcome, score = excluded.score, measured = excluded.measured,
  explanation = excluded.explanation, span_name = excluded.span_name, agent = excluded.agent,
  evaluated_at = CASE WHEN constitutional_evaluations.outcome = excluded.outcome
    THEN constitutional_evaluations.evaluated_at ELSE excluded.evaluated_at END`;

const RANK = "CASE outcome WHEN 'red' THEN 3 WHEN 'amber' THEN 2 WHEN 'pass' THEN 1 ELSE 0 END";
/** The worst outcome of a group of evaluations (errors do not count as findings). */
const WORST = `CASE max(${RANK}) WHEN 3 THEN 'red' WHEN 2 THEN 'amber' WHEN 1 THEN 'pass' END`;

/** Worst outcome per span over every stored evaluation (all rule revisions). */
const SPAN_WORST = `
UPDATE spans SET worst_outcome = w.worst FROM (
  SELECT trace_id, span_id, ${WORST} AS worst
  FROM constitutional_evaluations WHERE tenant_id = ?1 AND trace_id IN (SELECT value FROM json_each(?2))
  GROUP BY trace_id, span_id
) AS w WHERE spans.tenant_id = ?1 AND spans.trace_id = w.trace_id AND spans.id = w.span_id`;

const TRACE_WORST = `
UPDATE traces SET worst_outcome = w.worst FROM (
  SELECT trace_id, ${WORST} AS worst
  FROM constitutional_evaluations WHERE tenant_id = ?1 AND trace_id IN (SELECT value FROM json_each(?2))
  GROUP BY trace_id
) AS w WHERE traces.tenant_id = ?1 AND traces.id = w.trace_id`;

type Existing = { id: string; span_id: string; rule_id: string; rule_revision: number; outcome: string };
const keyOf = (r: { span_id: string; rule_id: string; rule_revision: number }) =>
  `${r.span_id}\u0000${r.rule_id}\u0000${r.rule_revision}`;

/** Outcomes already stored for these traces, to tell new findings from redeliveries. */
export async function existingOutcomes(db: D1Database, tenantId: string, traceIds: string[]) {
  const { results } = await db
    .prepare(`SELECT id, span_id, rule_id, rule_revision, outcome FROM constitutional_evaluations
      WHERE tenant_id = ? AND trace_id IN (SELECT value FROM json_each(?))`)
    .bind(tenantId, JSON.stringify(traceIds))
    .all<Existing>();
  return new Map(results.map((r) => [keyOf(r), r]));
}

/** Rows whose outcome is amber/red and differs from what was stored: these raise alerts. */
export function newFindings(rows: EvaluationRow[], existing: Map<string, Existing>): EvaluationRow[] {
  const findings: EvaluationRow[] = [];
  for (const row of rows) {
    const before = existing.get(keyOf(row));
    if (before) row.id = before.id;
    if ((row.outcome === "amber" || row.outcome === "red") && before?.outcome !== row.outcome)
      findings.push(row);
  }
  return findings;
}

const CHUNK = 2000;

/** Stores evaluations and refreshes worst outcomes in one D1 batch (one transaction). */
export async function storeEvaluations(
  db: D1Database,
  tenantId: string,
  traceIds: string[],
  rows: EvaluationRow[],
) {
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    statements.push(db.prepare(UPSERT).bind(tenantId, now, JSON.stringify(rows.slice(i, i + CHUNK))));
  }
  const ids = JSON.stringify(traceIds);
  statements.push(db.prepare(SPAN_WORST).bind(tenantId, ids), db.prepare(TRACE_WORST).bind(tenantId, ids));
  await db.batch(statements);
}
