import type { Agent } from "./schemas";

const DAY_MS = 24 * 3600_000;

type AgentRow = { name: string; first_seen_at: number; last_seen_at: number };
type StatsRow = { agent: string; n: number; errors: number; cost: number; tokens: number };
type P95Row = { agent: string; p95: number };

const STATS = `SELECT agent, count(*) AS n, sum(status = 'error') AS errors, coalesce(sum(cost_usd), 0) AS cost,
  coalesce(sum(input_tokens + output_tokens), 0) AS tokens
  FROM traces WHERE tenant_id = ?1 AND started_at >= ?2 GROUP BY agent`;

/** p95 per agent by rank: the smallest duration whose rank reaches 95% of the agent's count. */
const P95 = `WITH ranked AS (
  SELECT agent, duration_ms,
    row_number() OVER (PARTITION BY agent ORDER BY duration_ms) AS rn,
    count(*) OVER (PARTITION BY agent) AS n
  FROM traces WHERE tenant_id = ?1 AND started_at >= ?2 AND duration_ms IS NOT NULL)
  SELECT agent, min(duration_ms) AS p95 FROM ranked WHERE rn * 100 >= n * 95 GROUP BY agent`;

export async function listAgents(db: D1Database, tenantId: string, now: number): Promise<Agent[]> {
  const since = now - DAY_MS;
  const [agents, stats, p95] = await db.batch([
    db
      .prepare(
        "SELECT name, first_seen_at, last_seen_at FROM agents WHERE tenant_id = ? ORDER BY last_seen_at DESC",
      )
      .bind(tenantId),
    db.prepare(STATS).bind(tenantId, since),
    db.prepare(P95).bind(tenantId, since),
  ]);
  const statsBy = new Map((stats.results as StatsRow[]).map((r) => [r.agent, r]));
  const p95By = new Map((p95.results as P95Row[]).map((r) => [r.agent, r.p95]));
  return (agents.results as AgentRow[]).map((a) => {
    const s = statsBy.get(a.name);
    return {
      name: a.name,
      first_seen_at: new Date(a.first_seen_at).toISOString(),
      last_seen_at: new Date(a.last_seen_at).toISOString(),
      traces_24h: s?.n ?? 0,
      errors_24h: s?.errors ?? 0,
      error_rate_24h: s?.n ? s.errors / s.n : 0,
      p95_latency_ms_24h: p95By.get(a.name) ?? null,
      cost_usd_24h: s?.cost ?? 0,
      tokens_24h: s?.tokens ?? 0,
    };
  });
}
