/**
 * Reads of the rollup tables for the alert detectors (worker/alerts/scan.ts). Each query leads
 * with tenant_id and ranges over the key's time column, so it touches only the rows it counts.
 */
import type { Control, TenantContext } from "../db/client";
import { BACKFILL_QUIET_MS } from "./sync";

type Counts = Map<string, Map<number, number>>;

/** Interactions per capability per UTC day (summed over providers) for days in [from, until). */
export async function dailyInteractions(tenant: TenantContext, from: number, until: number): Promise<Counts> {
  const { results } = await tenant.d1
    .prepare(
      `SELECT capability, bucket, sum(interactions) AS n FROM analytics_days
       WHERE tenant_id = ?1 AND bucket >= ?2 AND bucket < ?3 GROUP BY capability, bucket`,
    )
    .bind(tenant.id, from, until)
    .all<{ capability: string; bucket: number; n: number }>();
  const out: Counts = new Map();
  for (const r of results) {
    const days = out.get(r.capability) ?? new Map<number, number>();
    days.set(r.bucket, r.n);
    out.set(r.capability, days);
  }
  return out;
}

/** Interactions and errors per capability of the traces that started in [since, until). */
export async function windowCounts(
  tenant: TenantContext,
  since: number,
  until: number,
): Promise<Map<string, { interactions: number; errors: number }>> {
  const { results } = await tenant.d1
    .prepare(
      `SELECT capability, count(*) AS interactions, sum(error) AS errors FROM analytics_facts
       WHERE tenant_id = ?1 AND started_at >= ?2 AND started_at < ?3 GROUP BY capability`,
    )
    .bind(tenant.id, since, until)
    .all<{ capability: string; interactions: number; errors: number }>();
  return new Map(results.map((r) => [r.capability, { interactions: r.interactions, errors: r.errors ?? 0 }]));
}

/** Capabilities whose earliest trace started at or after `since`. */
export async function capabilitiesFirstSeenSince(
  tenant: TenantContext,
  since: number,
): Promise<{ capability: string; firstSeenAt: number }[]> {
  const { results } = await tenant.d1
    .prepare(
      `SELECT capability, first_seen_at AS firstSeenAt FROM analytics_capabilities
       WHERE tenant_id = ?1 AND first_seen_at >= ?2 ORDER BY first_seen_at LIMIT 200`,
    )
    .bind(tenant.id, since)
    .all<{ capability: string; firstSeenAt: number }>();
  return results;
}

/** The tenants of one data database that have analytics (a fold has run for them). */
export async function tenantsWithAnalytics(shard: Control): Promise<string[]> {
  const { results } = await shard.d1
    .prepare("SELECT tenant_id FROM analytics_sync")
    .all<{ tenant_id: string }>();
  return results.map((r) => r.tenant_id);
}

/**
 * Claims the detectors' run for the tenant unless they ran within `gapMs` (the one column of
 * analytics_sync the detectors write): true when this caller should run them.
 */
export async function claimDetection(tenant: TenantContext, now: number, gapMs: number): Promise<boolean> {
  const res = await tenant.d1
    .prepare(
      `UPDATE analytics_sync SET detected_at = ?2
       WHERE tenant_id = ?1 AND (detected_at IS NULL OR detected_at <= ?3 OR detected_at > ?2)`,
    )
    .bind(tenant.id, now, now - gapMs)
    .run();
  return res.meta.changes > 0;
}

/**
 * Whether history is still arriving for the tenant: a fold within the last minute carried
 * interactions that started over an hour earlier (worker/analytics/sync.ts `saveRun`). Daily
 * counts are not final then, so the count-based detectors wait.
 */
export async function historyArriving(tenant: TenantContext, now: number): Promise<boolean> {
  const row = await tenant.d1
    .prepare("SELECT backfill_at FROM analytics_sync WHERE tenant_id = ?1")
    .bind(tenant.id)
    .first<{ backfill_at: number | null }>();
  return row?.backfill_at != null && row.backfill_at > now - BACKFILL_QUIET_MS;
}
