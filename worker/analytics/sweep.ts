/**
 * The minute sweep's part of analytics: every tenant on every data database with trace changes
 * not folded yet is folded (the queue does this within seconds; this catches lost messages), and
 * hour cells past their 8 days are dropped. Never a hot path: one indexed probe per tenant.
 */
import { dataDatabases, tenantsOn } from "../db/client";
import { HOURS_KEPT_MS } from "./changes";
import { foldEnabled, foldTenant } from "./fold";
import { hasPending } from "./sync";

/**
 * Returns the tenants whose rollups are still catching up (more to fold, or a fold running): their
 * counts are not final, so the detectors judge only freshness for them this minute.
 */
export async function sweepAnalytics(env: Env, now = Date.now()): Promise<Set<string>> {
  const behind = new Set<string>();
  if (!foldEnabled(env)) return behind;
  for (const shard of dataDatabases(env)) {
    for (const tenantId of await tenantsOn(env, shard.name)) {
      try {
        if (await hasPending(shard, tenantId)) {
          const result = await foldTenant(env, tenantId, { now });
          if (result.busy || result.more) behind.add(tenantId);
        }
        await shard.d1
          .prepare("DELETE FROM analytics_hours WHERE tenant_id = ?1 AND bucket < ?2")
          .bind(tenantId, now - HOURS_KEPT_MS)
          .run();
      } catch (err) {
        console.error(`analytics sweep failed for tenant ${tenantId}`, err);
        behind.add(tenantId);
      }
    }
  }
  return behind;
}
