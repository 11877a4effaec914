/**
 * When the detectors run: every minute from the cron for each tenant with analytics, on each data
 * database (the only place freshness is judged), and after a fold, at most once a minute per
 * tenant (analytics_sync.detected_at is the claim).
 */
import { claimDetection, tenantsWithAnalytics } from "../analytics/signals";
import { control, dataDatabases, type TenantContext, tenantContext } from "../db/client";
import { findTenant } from "../tenants/queries";
import { MINUTE } from "./detectors";
import { scanTenant } from "./scan";

async function tenantOf(env: Env, tenantId: string): Promise<TenantContext | undefined> {
  const tenant = await findTenant(control(env).db, tenantId);
  return tenant ? tenantContext(env, tenant) : undefined;
}

export async function sweepAlerts(env: Env, now = Date.now()): Promise<number> {
  let scanned = 0;
  for (const shard of dataDatabases(env)) {
    for (const id of await tenantsWithAnalytics(shard)) {
      const tenant = await tenantOf(env, id);
      // A moved tenant's old rows are not its data: scan it where its row says it lives.
      if (!tenant || tenant.dataDb !== shard.name) continue;
      try {
        await claimDetection(tenant, now, 0);
        await scanTenant(tenant, { now });
        scanned += 1;
      } catch (err) {
        console.error("alert scan failed", id, err);
      }
    }
  }
  return scanned;
}

/** The fold listener (worker/index.ts): the cheap, incremental run. */
export async function detectAfterFold(env: Env, tenantId: string, now: number): Promise<void> {
  const tenant = await tenantOf(env, tenantId);
  if (!tenant || !(await claimDetection(tenant, now, MINUTE))) return;
  await scanTenant(tenant, { now, freshness: false });
}
