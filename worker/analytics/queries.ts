import type { TraceReader } from "../auth/visibility";
import { ValidationError } from "../lib/errors";
import { isoTime } from "../lib/time";
import type { Analytics, AnalyticsQuery } from "./schemas";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_RANGE = 92 * DAY;
const HISTOGRAM_LE = [100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, Number.POSITIVE_INFINITY];

type Row = Record<string, string | number | null>;
type Range = { from: number; to: number; size: number; agent: string | null };

export function resolveRange(q: AnalyticsQuery, now = Date.now()): Range & { bucket: "hour" | "day" } {
  const to = q.to ? Date.parse(q.to) : now;
  const from = q.from ? Date.parse(q.from) : to - 7 * DAY;
  if (from >= to)
    throw new ValidationError("`from` must be before `to`", [{ path: "from", message: "after `to`" }]);
  if (to - from > MAX_RANGE)
    throw new ValidationError("Range too long", [{ path: "from", message: "at most 92 days" }]);
  const bucket = q.bucket ?? (to - from <= 2 * DAY ? "hour" : "day");
  return { from, to, bucket, size: bucket === "hour" ? HOUR : DAY, agent: q.agent ?? null };
}

/**
 * Traces in range (optionally one agent); ?1 tenant, ?2 from, ?3 to, ?4 agent, ?5 the only user
 * whose traces count (a viewer's own), ?6 bucket size.
 */
const IN_RANGE = `t.tenant_id = ?1 AND t.started_at >= ?2 AND t.started_at < ?3 AND (?4 IS NULL OR t.agent = ?4)
  AND (?5 IS NULL OR t.created_by_user_id = ?5)`;
const TRACES = `FROM traces t WHERE ${IN_RANGE}`;
const SPANS = `FROM traces t JOIN spans s ON s.tenant_id = t.tenant_id AND s.trace_id = t.id WHERE ${IN_RANGE}`;
// D1 binds JS numbers as REAL, so bucket with % (integer arithmetic) rather than / then *.
const BUCKET = "(t.started_at - t.started_at % ?6)";

const STATEMENTS = {
  byAgent: `SELECT ${BUCKET} AS b, t.agent AS k, sum(t.cost_usd) AS v ${TRACES} GROUP BY b, k ORDER BY b`,
  byModel: `SELECT ${BUCKET} AS b, s.model AS k, sum(s.cost_usd) AS v ${SPANS} AND s.model IS NOT NULL GROUP BY b, k ORDER BY b`,
  perBucket: `SELECT ${BUCKET} AS b, count(*) AS n, sum(t.status = 'error') AS errors, sum(t.input_tokens) AS input,
    sum(t.output_tokens) AS output ${TRACES} GROUP BY b ORDER BY b`,
  latency: `WITH r AS (SELECT t.agent AS agent, t.duration_ms AS d,
      row_number() OVER (PARTITION BY t.agent ORDER BY t.duration_ms) AS rn, count(*) OVER (PARTITION BY t.agent) AS n
      ${TRACES} AND t.duration_ms IS NOT NULL)
    SELECT agent, max(n) AS n, min(CASE WHEN rn * 100 >= n * 50 THEN d END) AS p50,
      min(CASE WHEN rn * 100 >= n * 95 THEN d END) AS p95, min(CASE WHEN rn * 100 >= n * 99 THEN d END) AS p99,
      ${HISTOGRAM_LE.slice(0, -1)
        .map((le, i) => `sum(d <= ${le}) AS h${i}`)
        .join(", ")}
    FROM r GROUP BY agent ORDER BY n DESC`,
  tools: `WITH r AS (SELECT s.tool_name AS tool, s.status AS status, s.duration_ms AS d,
      row_number() OVER (PARTITION BY s.tool_name ORDER BY s.duration_ms) AS rn, count(*) OVER (PARTITION BY s.tool_name) AS n
      ${SPANS} AND s.tool_name IS NOT NULL)
    SELECT tool, max(n) AS calls, sum(status = 'error') AS errors, min(CASE WHEN rn * 100 >= n * 95 THEN d END) AS p95
    FROM r GROUP BY tool ORDER BY calls DESC LIMIT 50`,
};

const iso = isoTime;

function series(rows: Row[]) {
  const byKey = new Map<string, { t: string; value: number }[]>();
  for (const r of rows) {
    const key = String(r.k ?? "unknown");
    const points = byKey.get(key) ?? [];
    points.push({ t: iso(Number(r.b)), value: Number(r.v ?? 0) });
    byKey.set(key, points);
  }
  return [...byKey].map(([key, points]) => ({ key, points }));
}

function latency(r: Row): Analytics["latency"][number] {
  let previous = 0;
  const histogram = HISTOGRAM_LE.map((le, i) => {
    const cumulative = i < HISTOGRAM_LE.length - 1 ? Number(r[`h${i}`] ?? 0) : Number(r.n);
    const count = cumulative - previous;
    previous = cumulative;
    return { le_ms: Number.isFinite(le) ? le : -1, count };
  });
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    agent: String(r.agent),
    count: Number(r.n),
    p50_ms: num(r.p50),
    p95_ms: num(r.p95),
    p99_ms: num(r.p99),
    histogram,
  };
}

export async function analytics(reader: TraceReader, q: AnalyticsQuery): Promise<Analytics> {
  const { db, tenantId, owner } = reader;
  const range = resolveRange(q);
  const args = [tenantId, range.from, range.to, range.agent, owner, range.size];
  const bind = (sql: string, n: number) => db.prepare(sql).bind(...args.slice(0, n));
  const [byAgent, byModel, perBucket, lat, tools] = await db.batch<Row>([
    bind(STATEMENTS.byAgent, 6),
    bind(STATEMENTS.byModel, 6),
    bind(STATEMENTS.perBucket, 6),
    bind(STATEMENTS.latency, 5),
    bind(STATEMENTS.tools, 5),
  ]);
  const buckets = perBucket.results;
  const point = (r: Row, v: number) => ({ t: iso(Number(r.b)), value: v });
  return {
    from: iso(range.from),
    to: iso(range.to),
    bucket: range.bucket,
    cost_by_agent: series(byAgent.results),
    cost_by_model: series(byModel.results),
    tokens: [
      { key: "input", points: buckets.map((r) => point(r, Number(r.input ?? 0))) },
      { key: "output", points: buckets.map((r) => point(r, Number(r.output ?? 0))) },
    ],
    error_rate: buckets.map((r) => point(r, Number(r.n) ? Number(r.errors ?? 0) / Number(r.n) : 0)),
    traces: buckets.map((r) => point(r, Number(r.n))),
    latency: lat.results.map(latency),
    tools: tools.results.map((r) => ({
      tool: String(r.tool),
      calls: Number(r.calls),
      errors: Number(r.errors ?? 0),
      p95_ms: r.p95 === null ? null : Number(r.p95),
    })),
  };
}
