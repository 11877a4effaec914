import type { TraceReader } from "../auth/visibility";
import { control, type TenantContext } from "../db/client";
import type { constitutionalEvaluations, evaluationCounts, governorDeadLetters } from "../db/governor";
import { batchOf, type SqlRow } from "../db/rows";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { NotFoundError } from "../lib/errors";
import { isoTime } from "../lib/time";
import type { Evaluation, EvaluationQuery, EvaluationSummary } from "./schemas";

type EvaluationRecord = SqlRow<typeof constitutionalEvaluations>;
const DAY_MS = 86_400_000;

function toEvaluation(r: EvaluationRecord): Evaluation {
  return {
    id: r.id,
    rule_id: r.rule_id,
    rule_name: r.rule_name,
    rule_version: r.rule_version,
    rule_revision: r.rule_revision,
    policy_group: r.policy_group,
    severity: r.severity,
    scope: r.scope,
    trace_id: r.trace_id,
    span_id: r.span_id,
    span_name: r.span_name,
    span_type: r.span_type,
    agent: r.agent,
    outcome: r.outcome,
    score: r.score,
    measured: r.measured,
    limit: r.limit_value,
    explanation: r.explanation,
    span_started_at: isoTime(r.span_started_at),
    evaluated_at: isoTime(r.evaluated_at),
  };
}

/** A viewer's evaluations are those of their own traces. */
const OWN_TRACE = `trace_id IN (SELECT id FROM traces t WHERE t.tenant_id = constitutional_evaluations.tenant_id
  AND t.created_by_user_id = ?)`;

export async function listEvaluations({ db, tenantId, owner }: TraceReader, q: EvaluationQuery) {
  const where = ["tenant_id = ?"];
  const params: (string | number)[] = [tenantId];
  const add = (clause: string, value: string | number) => {
    where.push(clause);
    params.push(value);
  };
  if (owner !== null) add(OWN_TRACE, owner);
  if (q.outcome) {
    const outcomes = [...new Set(q.outcome.split(","))];
    where.push(`outcome IN (${outcomes.map(() => "?").join(", ")})`);
    params.push(...outcomes);
  }
  if (q.rule_id) add("rule_id = ?", q.rule_id);
  if (q.policy_group) add("policy_group = ?", q.policy_group);
  if (q.agent) add("agent = ?", q.agent);
  if (q.trace_id) add("trace_id = ?", q.trace_id);
  if (q.span_id) add("span_id = ?", q.span_id);
  if (q.from) add("evaluated_at >= ?", Date.parse(q.from));
  if (q.to) add("evaluated_at < ?", Date.parse(q.to));
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    where.push("(evaluated_at < ? OR (evaluated_at = ? AND id < ?))");
    params.push(at, at, id);
  }
  const sql = `SELECT * FROM constitutional_evaluations WHERE ${where.join(" AND ")}
    ORDER BY evaluated_at DESC, id DESC LIMIT ?`;
  const { results } = await db
    .prepare(sql)
    .bind(...params, q.limit + 1)
    .all<EvaluationRecord>();
  const page = results.slice(0, q.limit);
  const last = results.length > q.limit ? page[page.length - 1] : undefined;
  return {
    data: page.map(toEvaluation),
    next_cursor: last ? encodeCursor([last.evaluated_at, last.id]) : null,
  };
}

export async function getEvaluation({ db, tenantId, owner }: TraceReader, id: string) {
  const row = await db
    .prepare(
      `SELECT * FROM constitutional_evaluations WHERE tenant_id = ? AND id = ?${owner === null ? "" : ` AND ${OWN_TRACE}`}`,
    )
    .bind(tenantId, id, ...(owner === null ? [] : [owner]))
    .first<EvaluationRecord>();
  if (!row) throw new NotFoundError("Evaluation");
  return toEvaluation(row);
}

const COUNTS = `sum(CASE outcome WHEN 'pass' THEN count ELSE 0 END) AS pass,
  sum(CASE outcome WHEN 'amber' THEN count ELSE 0 END) AS amber,
  sum(CASE outcome WHEN 'red' THEN count ELSE 0 END) AS red,
  sum(CASE outcome WHEN 'error' THEN count ELSE 0 END) AS error`;

/** The sums are null over no rows. */
type CountRow = { pass: number | null; amber: number | null; red: number | null; error: number | null };
type CountLabels = Pick<
  SqlRow<typeof evaluationCounts>,
  "rule_id" | "rule_name" | "policy_group" | "severity"
>;
const counts = (r: CountRow) => ({
  pass: r.pass ?? 0,
  amber: r.amber ?? 0,
  red: r.red ?? 0,
  error: r.error ?? 0,
});
const dayOf = (ms: number) => isoTime(ms).slice(0, 10);

/** Every day of the range, zeros where nothing was evaluated, so charts need no gap filling. */
function fillDays(from: number, to: number, rows: (CountRow & { day: string })[]) {
  const byDay = new Map(rows.map((r) => [r.day, counts(r)]));
  const days = [];
  for (let t = Date.parse(dayOf(from)); t < to; t += DAY_MS) {
    const day = dayOf(t);
    days.push({ day, ...(byDay.get(day) ?? { pass: 0, amber: 0, red: 0, error: 0 }) });
  }
  return days;
}

/**
 * Pass/amber/red/error per rule, per policy group and per day (UTC, by when the evaluated span
 * started), from the governor's counts: every evaluation counts, a span re-sent and re-evaluated
 * counts again.
 */
/**
 * A viewer's counts come from the evaluations of their own traces (one per span and rule, as
 * stored), since the tenant's running counts cannot be split by who sent the trace.
 */
const OWN_COUNTS = `(SELECT e.tenant_id, strftime('%Y-%m-%d', e.span_started_at / 1000, 'unixepoch') AS day,
  e.rule_id, e.rule_name, e.policy_group, e.severity, e.outcome, 1 AS count
  FROM constitutional_evaluations e JOIN traces t ON t.tenant_id = e.tenant_id AND t.id = e.trace_id
  WHERE e.tenant_id = ?1 AND t.created_by_user_id = ?4)`;

export async function summarize(
  { db, tenantId, owner }: TraceReader,
  fromIso?: string,
  toIso?: string,
): Promise<EvaluationSummary> {
  const to = toIso ? Date.parse(toIso) : Date.now();
  const from = fromIso ? Date.parse(fromIso) : to - 30 * DAY_MS;
  const source = owner === null ? "evaluation_counts" : OWN_COUNTS;
  const scope = `FROM ${source} WHERE tenant_id = ?1 AND day >= ?2 AND day <= ?3`;
  const args = [tenantId, dayOf(from), dayOf(to), ...(owner === null ? [] : [owner])];
  const [rules, groups, trend] = await batchOf<
    [CountRow & CountLabels, CountRow & Pick<CountLabels, "policy_group">, CountRow & { day: string }]
  >(db, [
    db
      .prepare(`SELECT rule_id, max(rule_name) AS rule_name, max(policy_group) AS policy_group, max(severity) AS severity, ${COUNTS}
      ${scope} GROUP BY rule_id ORDER BY red DESC, amber DESC, rule_name`)
      .bind(...args),
    db
      .prepare(`SELECT policy_group, ${COUNTS} ${scope} GROUP BY policy_group ORDER BY policy_group`)
      .bind(...args),
    db.prepare(`SELECT day, ${COUNTS} ${scope} GROUP BY day ORDER BY day`).bind(...args),
  ]);
  const ruleRows = rules.results.map((r) => ({
    rule_id: r.rule_id,
    rule_name: r.rule_name,
    policy_group: r.policy_group,
    severity: r.severity,
    ...counts(r),
  }));
  const totals = ruleRows.reduce(
    (t, r) => ({
      pass: t.pass + r.pass,
      amber: t.amber + r.amber,
      red: t.red + r.red,
      error: t.error + r.error,
    }),
    { pass: 0, amber: 0, red: 0, error: 0 },
  );
  return {
    from: isoTime(from),
    to: isoTime(to),
    totals,
    rules: ruleRows,
    policy_groups: groups.results.map((g) => ({ policy_group: g.policy_group, ...counts(g) })),
    trend: fillDays(from, to, trend.results),
  };
}

/** Dead letters live in the control database: a message that did not parse names no tenant shard. */
export async function listDeadLetters(tenant: TenantContext) {
  const { results } = await control(tenant.env)
    .d1.prepare(
      "SELECT id, message_id, body, attempts, created_at FROM governor_dead_letters WHERE tenant_id = ? ORDER BY created_at DESC LIMIT 200",
    )
    .bind(tenant.id)
    .all<Omit<SqlRow<typeof governorDeadLetters>, "tenant_id">>();
  return {
    data: results.map((r) => ({
      id: r.id,
      message_id: r.message_id,
      body: JSON.parse(r.body),
      attempts: r.attempts,
      created_at: isoTime(r.created_at),
    })),
    next_cursor: null,
  };
}
