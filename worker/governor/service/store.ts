import {
  EVALUATION_COLUMNS,
  EVALUATION_COUNT_COLUMNS,
  type EvaluationCountInsert,
  TRACE_FINDING_SPAN,
} from "../../db/governor";
import { fromJson, type Merge, mergeAssignments, sentColumns, withJsonRows } from "../../db/rows";
import { refreshWorstOutcomes } from "../../ingest/service/worst-outcome";
import { newId } from "../../lib/ids";
import { isoTime } from "../../lib/time";
import type { EvaluationRow } from "./evaluate";

const FINDING_SENT = sentColumns(EVALUATION_COLUMNS);
const COUNT_SENT = sentColumns(EVALUATION_COUNT_COLUMNS);

/**
 * What the governor writes per message: one row per finding (amber, red, error) on its natural key
 * — span × rule revision, or trace × rule revision for a trace-level rule — and counts per day ×
 * rule × outcome for everything (passes included). A pass therefore costs no row; a finding that
 * turns into a pass on re-evaluation is deleted.
 */
const upsertFindings = (conflict: string, rules: Record<string, Merge | null>, spanColumns = "") => `
${withJsonRows("?3")}
INSERT INTO constitutional_evaluations (tenant_id, ${FINDING_SENT.join(", ")}, evaluated_at)
SELECT ?1, ${FINDING_SENT.map(fromJson).join(", ")}, ?2 FROM json_rows WHERE true
ON CONFLICT ${conflict} DO UPDATE SET
  ${mergeAssignments("constitutional_evaluations", rules)},${spanColumns}
  evaluated_at = ${unlessSameOutcome("evaluated_at")}`;

/** SET expressions read the row as it was, so this compares the stored outcome with the new one. */
const unlessSameOutcome = (column: string) =>
  `CASE WHEN constitutional_evaluations.outcome = excluded.outcome
    THEN constitutional_evaluations.${column} ELSE excluded.${column} END`;

const UPSERT_SPAN_FINDINGS = upsertFindings(
  "(tenant_id, trace_id, span_id, rule_id, rule_revision, scope)",
  EVALUATION_COLUMNS,
);

// The span a trace finding names moves only with its outcome (TRACE_FINDING_SPAN).
const UPSERT_TRACE_FINDINGS = upsertFindings(
  "(tenant_id, trace_id, rule_id, rule_revision) WHERE scope = 'trace'",
  { ...EVALUATION_COLUMNS, ...Object.fromEntries(TRACE_FINDING_SPAN.map((c) => [c, "keep"])) },
  TRACE_FINDING_SPAN.map(
    (c) => `
  ${c} = ${unlessSameOutcome(c)},`,
  ).join(""),
);

const DELETE_CLEARED = `DELETE FROM constitutional_evaluations WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))`;

const ADD_COUNTS = `
${withJsonRows("?2")}
INSERT INTO evaluation_counts (tenant_id, ${COUNT_SENT.join(", ")})
SELECT ?1, ${COUNT_SENT.map(fromJson).join(", ")} FROM json_rows WHERE true
ON CONFLICT (tenant_id, day, rule_id, outcome) DO UPDATE SET
  ${mergeAssignments("evaluation_counts", EVALUATION_COUNT_COLUMNS)}`;

const MARK_PROCESSED =
  "INSERT INTO governor_processed (message_id, tenant_id, processed_at) VALUES (?, ?, ?)";

type Existing = {
  id: string;
  scope: "span" | "trace";
  trace_id: string;
  span_id: string;
  rule_id: string;
  rule_revision: number;
  outcome: string;
};
type Keyed = Pick<Existing, "scope" | "trace_id" | "span_id" | "rule_id" | "rule_revision">;
const keyOf = (r: Keyed) =>
  `${r.scope === "trace" ? "" : r.span_id}\u0000${r.trace_id}\u0000${r.rule_id}\u0000${r.rule_revision}`;

/** Runs once per governor message: must find a trace's findings through an index, never by scanning. */
export const EXISTING_FINDINGS = `SELECT id, scope, trace_id, span_id, rule_id, rule_revision, outcome
  FROM constitutional_evaluations WHERE tenant_id = ? AND trace_id IN (SELECT value FROM json_each(?))`;

/** Findings already stored for these traces, to tell new findings from repeats. */
export async function existingFindings(db: D1Database, tenantId: string, traceIds: string[]) {
  const { results } = await db
    .prepare(EXISTING_FINDINGS)
    .bind(tenantId, JSON.stringify(traceIds))
    .all<Existing>();
  return new Map(results.map((r) => [keyOf(r), r]));
}

export async function alreadyProcessed(db: D1Database, messageId: string): Promise<boolean> {
  return (
    (await db.prepare("SELECT 1 FROM governor_processed WHERE message_id = ?").bind(messageId).first()) !==
    null
  );
}

export type Plan = {
  findings: EvaluationRow[];
  alerts: EvaluationRow[];
  cleared: string[];
  /** Spans whose findings may have changed: every evaluated span, and those trace findings left. */
  spans: (readonly [traceId: string, spanId: string])[];
};

/**
 * Splits evaluated rows into findings to store, findings to alert on (a new outcome: one alert per
 * transition, for trace findings too), and stored findings now passing.
 */
export function plan(rows: EvaluationRow[], existing: Map<string, Existing>): Plan {
  const out: Plan = { findings: [], alerts: [], cleared: [], spans: [] };
  const spans = new Map<string, readonly [string, string]>();
  const touch = (traceId: string, spanId: string) =>
    spans.set(`${traceId}\u0000${spanId}`, [traceId, spanId]);
  let last: EvaluationRow | undefined;
  for (const row of rows) {
    // Most rows are passes of spans without findings: no key to build, and a span's rows adjoin.
    const before = existing.size ? existing.get(keyOf(row)) : undefined;
    if (row.span_id !== last?.span_id || row.trace_id !== last.trace_id) touch(row.trace_id, row.span_id);
    last = row;
    if (before && before.span_id !== row.span_id && before.outcome !== row.outcome)
      touch(before.trace_id, before.span_id); // a trace finding moves to the span that crossed
    if (row.outcome === "pass") {
      if (before) {
        out.cleared.push(before.id);
        touch(before.trace_id, before.span_id);
      }
      continue;
    }
    row.id = before?.id ?? newId("ev_");
    out.findings.push(row);
    if ((row.outcome === "amber" || row.outcome === "red") && before?.outcome !== row.outcome)
      out.alerts.push(row);
  }
  out.spans = [...spans.values()];
  return out;
}

function counts(rows: EvaluationRow[]) {
  const byKey = new Map<string, EvaluationCountInsert>();
  const days = new Map<number, string>();
  for (const r of rows) {
    let day = days.get(r.span_started_at);
    if (day === undefined) {
      day = isoTime(r.span_started_at).slice(0, 10);
      days.set(r.span_started_at, day);
    }
    const key = `${day}\u0000${r.rule_id}\u0000${r.outcome}`;
    const entry = byKey.get(key) ?? {
      day,
      rule_id: r.rule_id,
      outcome: r.outcome,
      rule_name: r.rule_name,
      policy_group: r.policy_group,
      severity: r.severity,
      count: 0,
    };
    entry.count += 1;
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

const CHUNK = 2000;

/** Writes one message's results in one D1 batch (one transaction), marking the message processed. */
export async function storeResults(
  db: D1Database,
  tenantId: string,
  messageId: string,
  rows: EvaluationRow[],
  p: Plan,
  traceIds: string[],
) {
  const now = Date.now();
  const statements = [db.prepare(MARK_PROCESSED).bind(messageId, tenantId, now)];
  const upsert = (sql: string, findings: EvaluationRow[]) => {
    for (let i = 0; i < findings.length; i += CHUNK)
      statements.push(db.prepare(sql).bind(tenantId, now, JSON.stringify(findings.slice(i, i + CHUNK))));
  };
  upsert(
    UPSERT_SPAN_FINDINGS,
    p.findings.filter((f) => f.scope === "span"),
  );
  upsert(
    UPSERT_TRACE_FINDINGS,
    p.findings.filter((f) => f.scope === "trace"),
  );
  if (p.cleared.length) statements.push(db.prepare(DELETE_CLEARED).bind(tenantId, JSON.stringify(p.cleared)));
  const tally = counts(rows);
  if (tally.length) statements.push(db.prepare(ADD_COUNTS).bind(tenantId, JSON.stringify(tally)));
  statements.push(...refreshWorstOutcomes(db, tenantId, p.spans, traceIds));
  await db.batch(statements);
}
