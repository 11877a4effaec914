/**
 * The minute sweep's part of analytics: every tenant on every data database with trace changes
 * not folded yet is folded (the queue does this within seconds; this catches lost messages), and
 * hour cells past their 8 days are dropped. Never a hot path: one indexed probe per tenant.
 */
import { dataDatabases, tenantsOn } from "../db/client";
import { foldEnabled, foldTenant } from "./fold";
import { hasPending } from "./sync";

const HOURS_KEPT_MS = 8 * 86_400_000;

export async function sweepAnalytics(env: Env, now = Date.now()): Promise<void> {
  if (!foldEnabled(env)) return;
  for (const shard of dataDatabases(env)) {
    for (const tenantId of await tenantsOn(env, shard.name)) {
      try {
        if (await hasPending(shard, tenantId)) await foldTenant(env, tenantId, { now });
        await shard.d1
          .prepare("DELETE FROM analytics_hours WHERE tenant_id = ?1 AND bucket < ?2")
          .bind(tenantId, now - HOURS_KEPT_MS)
          .run();
      } catch (err) {
        console.error(`analytics sweep failed for tenant ${tenantId}`, err);
      }
    }
  }
}
