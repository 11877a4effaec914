import { dataDatabases, tenantsOn } from "../../db/client";
import { auditLog } from "./client";

/** Within this long of a tenant's last event, the sweep checks its log every minute. */
const RECENT_MS = 15 * 60_000;
const PARALLEL = 10;
const TENANT_PAGE = 1000;

type TenantHead = { tenant_id: string; max_seq: number; last_at: number };

/**
 * Cron safety net for a lost notify (requestCheckpoint runs in waitUntil and may not happen):
 * every minute, tenants with recent events ask their log to catch up with D1; at the top of the
 * hour, every tenant with events does, so a log stuck for longer is found too. Each lookup is an
 * index probe on (tenant_id, seq) and (tenant_id, received_at).
 */
export async function sweepCheckpoints(env: Env, now = Date.now()): Promise<void> {
  const everyone = new Date(now).getUTCMinutes() === 0;
  const results: TenantHead[] = [];
  // Each shard holds the logs of the tenants the control database places on it.
  for (const shard of dataDatabases(env)) {
    const ids = await tenantsOn(env, shard.name);
    for (let i = 0; i < ids.length; i += TENANT_PAGE) {
      const { results: heads } = await shard.d1
        .prepare(
          `SELECT tenant_id, max_seq, last_at FROM (
           SELECT t.value AS tenant_id,
             (SELECT MAX(seq) FROM audit_events e WHERE e.tenant_id = t.value) AS max_seq,
             (SELECT MAX(received_at) FROM audit_events e WHERE e.tenant_id = t.value) AS last_at
           FROM json_each(?3) t)
         WHERE max_seq IS NOT NULL AND (?1 OR last_at >= ?2)`,
        )
        .bind(everyone ? 1 : 0, now - RECENT_MS, JSON.stringify(ids.slice(i, i + TENANT_PAGE)))
        .all<TenantHead>();
      results.push(...heads);
    }
  }
  for (let i = 0; i < results.length; i += PARALLEL) {
    const settled = await Promise.allSettled(
      results.slice(i, i + PARALLEL).map((t) => auditLog(env, t.tenant_id).catchUp(t.tenant_id, t.max_seq)),
    );
    for (const s of settled) if (s.status === "rejected") console.error("checkpoint sweep failed", s.reason);
  }
}
