import type { TraceReader } from "../auth/visibility";
import { isoTime } from "../lib/time";
import type { Agent } from "./schemas";

const DAY_MS = 24 * 3600_000;

type AgentRow = { name: string; first_seen_at: number; last_seen_at: number };
type StatsRow = { agent: string; n: number; errors: number; cost: number; tokens: number };
type P95Row = { agent: string; p95: number };

/** ?3: the only user whose traces count (a viewer's own), or null for the tenant. */
const OWNED = "(?3 IS NULL OR created_by_user_id = ?3)";

const STATS = `SELECT agent, count(*) AS n, sum(status = 'error') AS errors, coalesce(sum(cost_usd), 0) AS cost,
  coalesce(sum(input_tokens + output_tokens), 0) AS tokens
  FROM traces WHERE tenant_id = ?1 AND started_at >= ?2 AND ${OWNED} GROUP BY agent`;

/** p95 per agent by rank: the smallest duration whose rank reaches 95% of the agent's count. */
const P95 = `WITH ranked AS (
  SELECT agent, duration_ms,
    row_number() OVER (PARTITION BY agent ORDER BY duration_ms) AS rn,
    count(*) OVER (PARTITION BY agent) AS n
  FROM traces WHERE tenant_id = ?1 AND started_at >= ?2 AND ${OWNED} AND duration_ms IS NOT NULL)
  SELECT agent, min(duration_ms) AS p95 FROM ranked WHERE rn * 100 >= n * 95 GROUP BY agent`;

/** The tenant's agents; a viewer's list is the agents of their own traces, seen in those traces. */
const AGENTS = `SELECT name, first_seen_at, last_seen_at FROM agents WHERE tenant_id = ?1 AND ?2 IS NULL
  UNION ALL
  SELECT agent AS name, min(started_at) AS first_seen_at, max(started_at) AS last_seen_at FROM traces
  WHERE tenant_id = ?1 AND created_by_user_id = ?2 GROUP BY agent
  ORDER BY last_seen_at DESC`;

export async function listAgents({ db, tenantId, owner }: TraceReader, now: number): Promise<Agent[]> {
  const since = now - DAY_MS;
  const [agents, stats, p95] = await db.batch([
    db.prepare(AGENTS).bind(tenantId, owner),
    db.prepare(STATS).bind(tenantId, since, owner),
    db.prepare(P95).bind(tenantId, since, owner),
  ]);
  const statsBy = new Map((stats.results as StatsRow[]).map((r) => [r.agent, r]));
  const p95By = new Map((p95.results as P95Row[]).map((r) => [r.agent, r.p95]));
  return (agents.results as AgentRow[]).map((a) => {
    const s = statsBy.get(a.name);
    return {
      name: a.name,
      first_seen_at: isoTime(a.first_seen_at),
      last_seen_at: isoTime(a.last_seen_at),
      traces_24h: s?.n ?? 0,
      errors_24h: s?.errors ?? 0,
      error_rate_24h: s?.n ? s.errors / s.n : 0,
      p95_latency_ms_24h: p95By.get(a.name) ?? null,
      cost_usd_24h: s?.cost ?? 0,
      tokens_24h: s?.tokens ?? 0,
    };
  });
}
