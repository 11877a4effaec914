/**
 * Alert incident counts for the Capability dashboard (worker/analytics/fleet.ts): spikes and drops
 * fired in the last 24 hours, and incidents per capability and severity over a range.
 */
import type { TenantContext } from "../db/client";

type Tenant = Pick<TenantContext, "d1" | "id">;
export type AlertCounts = {
  last24: { spike: number; drop: number };
  byCapability: { capability: string; info: number; warning: number; critical: number }[];
};

const LAST_24H = `SELECT detector, count(*) AS n FROM alert_events
  WHERE tenant_id = ?1 AND fired_at >= ?2 AND detector IN ('spike', 'drop') GROUP BY detector`;
const BY_CAPABILITY = `SELECT capability, severity, count(*) AS n FROM alert_events
  WHERE tenant_id = ?1 AND fired_at >= ?2 AND fired_at < ?3 AND capability IS NOT NULL
  GROUP BY capability, severity`;

export async function alertCounts(
  t: Tenant,
  range: { from: number; to: number; last24From: number },
): Promise<AlertCounts> {
  const [recent, byCapability] = await t.d1.batch<Record<string, unknown>>([
    t.d1.prepare(LAST_24H).bind(t.id, range.last24From),
    t.d1.prepare(BY_CAPABILITY).bind(t.id, range.from, range.to),
  ]);
  const last24 = { spike: 0, drop: 0 };
  for (const r of recent?.results ?? []) last24[r.detector as "spike" | "drop"] = Number(r.n);
  const rows = new Map<string, AlertCounts["byCapability"][number]>();
  for (const r of byCapability?.results ?? []) {
    const capability = String(r.capability);
    const row = rows.get(capability) ?? { capability, info: 0, warning: 0, critical: 0 };
    const severity = r.severity as "info" | "warning" | "critical";
    if (severity in row) row[severity] += Number(r.n);
    rows.set(capability, row);
  }
  return {
    last24,
    byCapability: [...rows.values()].sort((a, b) => b.critical - a.critical || b.warning - a.warning),
  };
}
