/**
 * A small traffic generator for the detector tests: it writes what the analytics fold would have
 * written (daily cells, per-trace facts, first sightings, the sync row), so each detector's input
 * is exactly the pattern under test. One path through the real ingest and fold is in scan.test.ts.
 */
import { env } from "cloudflare:workers";
import { DAY, dayStart } from "../../worker/alerts/detectors";
import { control, type TenantContext, tenantContext } from "../../worker/db/client";
import { findTenant } from "../../worker/tenants/queries";
import type { Session } from "../helpers";

export async function contextOf(s: Session): Promise<TenantContext> {
  const tenant = await findTenant(control(env).db, s.tenantId);
  if (!tenant) throw new Error("no tenant");
  return tenantContext(env, tenant);
}

/** The analytics_sync row the cron looks for, as after a fold at `at`. */
export async function synced(t: TenantContext, at: number): Promise<void> {
  await t.d1
    .prepare(
      `INSERT INTO analytics_sync (tenant_id, cursor_at, cursor_pk, rows_folded, last_rows, last_duration_ms, last_folded_at, newest_source_at)
       VALUES (?1, ?2, 0, 0, 0, 0, ?2, ?2) ON CONFLICT (tenant_id) DO UPDATE SET last_folded_at = ?2, newest_source_at = ?2`,
    )
    .bind(t.id, at)
    .run();
}

/** Sets one day's interaction count for a capability (provider `openai`). */
export async function dayCount(t: TenantContext, capability: string, day: number, interactions: number) {
  await t.d1
    .prepare(
      `INSERT INTO analytics_days (tenant_id, bucket, capability, provider, interactions, errors, latency_count,
         latency_sum, latency_bins, input_tokens, output_tokens, cost_usd, workspaces)
       VALUES (?1, ?2, ?3, 'openai', ?4, 0, 0, 0, '{}', 0, 0, 0, 1)
       ON CONFLICT (tenant_id, bucket, capability, provider) DO UPDATE SET interactions = ?4`,
    )
    .bind(t.id, dayStart(day), capability, interactions)
    .run();
}

/** Normal traffic: about `perDay` a day (±3) for the `days` days before `now`'s day, first seen then. */
export async function history(t: TenantContext, capability: string, now: number, perDay = 100, days = 20) {
  const today = dayStart(now);
  for (let i = 1; i <= days; i++) await dayCount(t, capability, today - i * DAY, perDay + ((i * 3) % 7) - 3);
  await firstSeen(t, capability, today - days * DAY);
}

export async function firstSeen(t: TenantContext, capability: string, at: number) {
  await t.d1
    .prepare(
      `INSERT INTO analytics_capabilities (tenant_id, capability, first_seen_at, folded_at) VALUES (?1, ?2, ?3, ?3)
       ON CONFLICT DO NOTHING`,
    )
    .bind(t.id, capability, at)
    .run();
}

/** `count` traces of the capability starting evenly over [from, to), the first `errors` failed. */
export async function facts(
  t: TenantContext,
  capability: string,
  from: number,
  to: number,
  count: number,
  errors = 0,
) {
  const step = (to - from) / count;
  const rows = Array.from({ length: count }, (_, i) =>
    t.d1
      .prepare(
        `INSERT INTO analytics_facts (tenant_id, trace_id, started_at, capability, provider, workspace, error,
           latency_ms, input_tokens, output_tokens, cost_usd, prompt_chars)
         VALUES (?1, ?2, ?3, ?4, 'openai', 'w1', ?5, 100, 0, 0, 0, NULL)`,
      )
      .bind(t.id, `${capability}-${from}-${i}`, Math.floor(from + i * step), capability, i < errors ? 1 : 0),
  );
  for (let i = 0; i < rows.length; i += 50) await t.d1.batch(rows.slice(i, i + 50));
}
