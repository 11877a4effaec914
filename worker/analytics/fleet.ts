/**
 * The fleet dashboards (Overview, Workspace, Capability), read from the rollups only: a range of
 * days is a few hundred cell rows whatever the traffic, and percentiles come from merged sketches.
 */
import { alertCounts } from "../alerts/counts";
import type { TenantContext } from "../db/client";
import { ValidationError } from "../lib/errors";
import { isoTime } from "../lib/time";
import { cellFrom, type Cell as Stored } from "./changes";
import { DAY_MS, dayOf, HOUR_MS, hourOf } from "./facts";
import type {
  FleetCapabilities,
  FleetOverview,
  FleetQuery,
  FleetWorkspaces,
  WorkspacesQuery,
} from "./schemas";
import { type Bins, mergeInto, quantiles } from "./sketch";
import { readFreshness } from "./sync";

export const ERROR_TARGET = 0.05;
const MAX_DAYS = 92;
const WEEK = 7 * DAY_MS;
/** Deviation states in the Capability table (the detectors' defaults; docs/analytics.md). */
const SPIKE = 1.75;
const DROP = 0.4;
const SIGMAS = 2;

type Tenant = Pick<TenantContext, "d1" | "id">;
type Row = Record<string, unknown>;
type Cell = Stored & { bucket: number; capability: string; provider: string };

/** Whole UTC days: the first day of `from` to the day of `to` (inclusive). */
export type DayRange = { from: number; to: number; firstDay: number; lastDay: number; days: number[] };

export function dayRange(q: Pick<FleetQuery, "from" | "to">, now = Date.now()): DayRange {
  const to = q.to ? Date.parse(q.to) : now;
  const from = q.from ? Date.parse(q.from) : dayOf(to - 1) - WEEK + DAY_MS;
  if (from >= to)
    throw new ValidationError("`from` must be before `to`", [{ path: "from", message: "after `to`" }]);
  const firstDay = dayOf(from);
  const lastDay = dayOf(to - 1);
  if ((lastDay - firstDay) / DAY_MS + 1 > MAX_DAYS) {
    throw new ValidationError("Range too long", [{ path: "from", message: `at most ${MAX_DAYS} days` }]);
  }
  const days: number[] = [];
  for (let d = firstDay; d <= lastDay; d += DAY_MS) days.push(d);
  return { from, to, firstDay, lastDay, days };
}

const dayText = (ms: number) => isoTime(ms).slice(0, 10);

const CELL_SQL = (table: string) =>
  `SELECT bucket, capability, provider, interactions, errors, latency_count, latency_sum, latency_bins,
     input_tokens, output_tokens, cost_usd
   FROM ${table} WHERE tenant_id = ?1 AND bucket >= ?2 AND bucket <= ?3`;

const toCell = (r: Row): Cell => ({
  ...cellFrom(r),
  bucket: Number(r.bucket),
  capability: String(r.capability),
  provider: String(r.provider),
});

const matches = (q: FleetQuery) => (c: { capability: string; provider: string }) =>
  (!q.capability || c.capability === q.capability) && (!q.provider || c.provider === q.provider);

type Sum = {
  interactions: number;
  errors: number;
  bins: Bins;
  latency_sum: number;
  latency_count: number;
  cost_usd: number;
};
const emptySum = (): Sum => ({
  interactions: 0,
  errors: 0,
  bins: {},
  latency_sum: 0,
  latency_count: 0,
  cost_usd: 0,
});

function addTo(sum: Sum, c: Cell): Sum {
  sum.interactions += c.interactions;
  sum.errors += c.errors;
  sum.latency_sum += c.latency_sum;
  sum.latency_count += c.latency_count;
  sum.cost_usd += c.cost_usd;
  mergeInto(sum.bins, c.bins);
  return sum;
}

function sumBy<K>(cells: Cell[], key: (c: Cell) => K): Map<K, Sum> {
  const out = new Map<K, Sum>();
  for (const c of cells) {
    const k = key(c);
    out.set(k, addTo(out.get(k) ?? emptySum(), c));
  }
  return out;
}

const rate = (s: Sum) => (s.interactions ? s.errors / s.interactions : 0);
const p95 = (s: Sum) => quantiles(s.bins, [0.95])[0] ?? null;
const money = (usd: number) => Math.round(usd * 1e6) / 1e6;

async function cellsIn(t: Tenant, table: string, from: number, to: number): Promise<Cell[]> {
  const { results } = await t.d1.prepare(CELL_SQL(table)).bind(t.id, from, to).all<Row>();
  return results.map(toCell);
}

const ACTIVE_WORKSPACES = `SELECT count(DISTINCT workspace) AS n FROM analytics_presence
  WHERE tenant_id = ?1 AND day >= ?2 AND day <= ?3 AND (?4 IS NULL OR capability = ?4) AND (?5 IS NULL OR provider = ?5)`;

export async function fleetOverview(t: Tenant, q: FleetQuery, now = Date.now()): Promise<FleetOverview> {
  const range = dayRange(q, now);
  const lastHour = hourOf(range.to - 1);
  const [dayRows, hourRows, active, freshness] = await Promise.all([
    cellsIn(t, "analytics_days", range.firstDay, range.lastDay),
    cellsIn(t, "analytics_hours", lastHour - 23 * HOUR_MS, lastHour),
    t.d1
      .prepare(ACTIVE_WORKSPACES)
      .bind(t.id, range.lastDay - 6 * DAY_MS, range.lastDay, q.capability ?? null, q.provider ?? null)
      .first<{ n: number }>(),
    readFreshness(t, now),
  ]);
  const cells = dayRows.filter(matches(q));
  const last24 = hourRows.filter(matches(q)).reduce(addTo, emptySum());
  const byCapability = sumBy(cells, (c) => c.capability);
  const byCapabilityDay = sumBy(cells, (c) => `${c.capability}\n${c.bucket}`);
  const byDay = sumBy(cells, (c) => c.bucket);
  const capabilities = [...byCapability].sort(([, a], [, b]) => b.interactions - a.interactions);
  const byProvider = sumBy(
    dayRows.filter((c) => !q.capability || c.capability === q.capability),
    (c) => c.provider,
  );
  return {
    from: isoTime(range.firstDay),
    to: isoTime(range.lastDay + DAY_MS),
    freshness,
    kpis: {
      interactions_24h: last24.interactions,
      active_workspaces_7d: Number(active?.n ?? 0),
      error_rate_24h: last24.interactions ? last24.errors / last24.interactions : null,
      p95_ms_24h: p95(last24),
    },
    interactions_by_capability: capabilities.map(([capability]) => ({
      key: capability,
      points: range.days.map((d) => ({
        day: dayText(d),
        value: byCapabilityDay.get(`${capability}\n${d}`)?.interactions ?? 0,
      })),
    })),
    error_rate: range.days.map((d) => {
      const s = byDay.get(d);
      return { day: dayText(d), value: s ? rate(s) : 0 };
    }),
    error_rate_target: ERROR_TARGET,
    provider_mix: [...byProvider]
      .filter(([provider]) => !q.provider || provider === q.provider)
      .map(([provider, s]) => ({ provider, interactions: s.interactions }))
      .sort((a, b) => b.interactions - a.interactions),
    capabilities: capabilities.map(([capability, s]) => ({
      capability,
      interactions: s.interactions,
      errors: s.errors,
      error_rate: rate(s),
      p95_ms: p95(s),
      cost_usd: money(s.cost_usd),
    })),
    providers: [...new Set(dayRows.map((c) => c.provider))].sort(),
    capability_names: [...new Set(dayRows.map((c) => c.capability))].sort(),
  };
}

const WORKSPACE_TOTALS = `SELECT workspace, sum(interactions) AS interactions, sum(errors) AS errors,
    sum(cost_usd) AS cost_usd, count(DISTINCT capability) AS capabilities
  FROM analytics_presence WHERE tenant_id = ?1 AND day >= ?2 AND day <= ?3
    AND (?4 IS NULL OR capability = ?4) AND (?5 IS NULL OR provider = ?5)
  GROUP BY workspace`;
const WORKSPACE_DAYS = `SELECT day, workspace, sum(interactions) AS interactions FROM analytics_presence
  WHERE tenant_id = ?1 AND day >= ?2 AND day <= ?3 AND (?4 IS NULL OR capability = ?4) AND (?5 IS NULL OR provider = ?5)
  GROUP BY day, workspace`;
/** Last interaction per workspace over the longest range the API serves. */
const WORKSPACE_LAST = `SELECT workspace, max(last_interaction_at) AS last FROM analytics_workspace_days
  WHERE tenant_id = ?1 AND day >= ?2 AND day <= ?3 GROUP BY workspace`;
const HEATMAP_WORKSPACES = 20;
const WORKSPACE_ROWS = 500;

export async function fleetWorkspaces(
  t: Tenant,
  q: WorkspacesQuery,
  now = Date.now(),
): Promise<FleetWorkspaces> {
  const range = dayRange(q, now);
  const filters = [q.capability ?? null, q.provider ?? null];
  const [totals, perDay, last, freshness] = await Promise.all([
    t.d1
      .prepare(WORKSPACE_TOTALS)
      .bind(t.id, range.firstDay, range.lastDay, ...filters)
      .all<Row>(),
    t.d1
      .prepare(WORKSPACE_DAYS)
      .bind(t.id, range.firstDay, range.lastDay, ...filters)
      .all<Row>(),
    t.d1
      .prepare(WORKSPACE_LAST)
      .bind(t.id, range.lastDay - (MAX_DAYS - 1) * DAY_MS, range.lastDay)
      .all<Row>(),
    readFreshness(t, now),
  ]);
  const lastAt = new Map(last.results.map((r) => [String(r.workspace), Number(r.last)]));
  const inRange = new Map(totals.results.map((r) => [String(r.workspace), r]));
  const names = q.inactive === "true" ? [...lastAt.keys()] : [...inRange.keys()];
  const cutoff = range.to - WEEK;
  const workspaces = names
    .map((workspace) => {
      const r = inRange.get(workspace);
      const interactions = Number(r?.interactions ?? 0);
      const errors = Number(r?.errors ?? 0);
      const error_rate = interactions ? errors / interactions : 0;
      const at = lastAt.get(workspace) ?? 0;
      return {
        workspace,
        last_interaction_at: isoTime(at),
        interactions,
        errors,
        error_rate,
        flagged: error_rate > ERROR_TARGET,
        capabilities: Number(r?.capabilities ?? 0),
        cost_usd: money(Number(r?.cost_usd ?? 0)),
        inactive: at < cutoff,
      };
    })
    .filter((w) => q.inactive !== "true" || w.inactive)
    .sort(
      (a, b) => b.interactions - a.interactions || b.last_interaction_at.localeCompare(a.last_interaction_at),
    )
    .slice(0, WORKSPACE_ROWS);
  const top = new Set(workspaces.slice(0, HEATMAP_WORKSPACES).map((w) => w.workspace));
  return {
    from: isoTime(range.firstDay),
    to: isoTime(range.lastDay + DAY_MS),
    freshness,
    workspaces,
    heatmap: perDay.results
      .filter((r) => top.has(String(r.workspace)))
      .map((r) => ({
        day: dayText(Number(r.day)),
        workspace: String(r.workspace),
        interactions: Number(r.interactions),
      })),
    days: range.days.map(dayText),
  };
}

const SCATTER = `SELECT trace_id, capability, prompt_chars, latency_ms FROM analytics_facts
  WHERE tenant_id = ?1 AND started_at >= ?2 AND started_at < ?3 AND prompt_chars IS NOT NULL AND latency_ms IS NOT NULL
    AND (?4 IS NULL OR capability = ?4) AND (?5 IS NULL OR provider = ?5)
  ORDER BY started_at DESC LIMIT 500`;
const NEW_CAPABILITIES = `SELECT capability, first_seen_at FROM analytics_capabilities
  WHERE tenant_id = ?1 AND first_seen_at >= ?2 ORDER BY first_seen_at DESC LIMIT 100`;
const TABLE_ROWS = 500;

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

type State = FleetCapabilities["table"][number]["state"];

/** How a day's count compares with the 7 days before it (today, still counting, is never low). */
function deviation(count: number, before: number[], isNew: boolean, partial: boolean): State {
  if (isNew) return "new";
  const med = median(before) ?? 0;
  const mean = before.reduce((a, b) => a + b, 0) / (before.length || 1);
  // σ is at least √mean (Poisson noise), as the deviation detector takes it: a flat week does not
  // make one call more or less "unusual".
  const spread = Math.sqrt(before.reduce((a, b) => a + (b - mean) ** 2, 0) / (before.length || 1));
  const sd = Math.max(spread, Math.sqrt(mean));
  if (med > 0 && count > SPIKE * med) return "spike";
  if (!partial && med > 0 && count < DROP * med) return "drop";
  if (sd > 0 && count > mean + SIGMAS * sd) return "high";
  if (!partial && sd > 0 && count < mean - SIGMAS * sd) return "low";
  return "normal";
}

function percentiles(s: Sum) {
  const [p50, p90, p95v, p99, max] = quantiles(s.bins, [0.5, 0.9, 0.95, 0.99, 1]);
  return {
    p50_ms: p50 ?? null,
    p90_ms: p90 ?? null,
    p95_ms: p95v ?? null,
    p99_ms: p99 ?? null,
    max_ms: max ?? null,
    avg_ms: s.latency_count ? Math.round((s.latency_sum / s.latency_count) * 10) / 10 : null,
  };
}

export async function fleetCapabilities(
  t: Tenant,
  q: FleetQuery,
  now = Date.now(),
): Promise<FleetCapabilities> {
  const range = dayRange(q, now);
  const filters = [q.capability ?? null, q.provider ?? null];
  const [allCells, scatter, fresh, freshness, alerts] = await Promise.all([
    cellsIn(t, "analytics_days", range.firstDay - WEEK, range.lastDay),
    t.d1
      .prepare(SCATTER)
      .bind(t.id, range.firstDay, range.lastDay + DAY_MS, ...filters)
      .all<Row>(),
    t.d1
      .prepare(NEW_CAPABILITIES)
      .bind(t.id, range.to - WEEK)
      .all<Row>(),
    readFreshness(t, now),
    alertCounts(t, { from: range.firstDay, to: range.lastDay + DAY_MS, last24From: now - DAY_MS }),
  ]);
  const cells = allCells.filter(matches(q));
  const inRange = cells.filter((c) => c.bucket >= range.firstDay);
  const byDay = sumBy(inRange, (c) => c.bucket);
  const byCapability = sumBy(inRange, (c) => c.capability);
  const byCapabilityDay = sumBy(cells, (c) => `${c.capability}\n${c.bucket}`);
  const firstSeen = new Map(fresh.results.map((r) => [String(r.capability), Number(r.first_seen_at)]));
  const today = dayOf(now);
  const table: FleetCapabilities["table"] = [];
  for (const day of [...range.days].reverse()) {
    for (const [capability] of byCapability) {
      const s = byCapabilityDay.get(`${capability}\n${day}`);
      if (!s) continue;
      const before = [1, 2, 3, 4, 5, 6, 7].map(
        (n) => byCapabilityDay.get(`${capability}\n${day - n * DAY_MS}`)?.interactions ?? 0,
      );
      const seen = firstSeen.get(capability);
      table.push({
        day: dayText(day),
        capability,
        interactions: s.interactions,
        median_7d: median(before),
        state: deviation(s.interactions, before, seen !== undefined && seen > day - WEEK, day === today),
        latency: percentiles(s),
      });
      if (table.length >= TABLE_ROWS) break;
    }
    if (table.length >= TABLE_ROWS) break;
  }
  return {
    from: isoTime(range.firstDay),
    to: isoTime(range.lastDay + DAY_MS),
    freshness,
    kpis: {
      new_capabilities_7d: fresh.results.length,
      spikes_24h: alerts.last24.spike,
      drops_24h: alerts.last24.drop,
    },
    anomalies: alerts.byCapability.filter((a) => !q.capability || a.capability === q.capability),
    latency: range.days.map((d) => {
      const [p50, p90, p99] = quantiles(byDay.get(d)?.bins ?? {}, [0.5, 0.9, 0.99]);
      return { day: dayText(d), p50_ms: p50 ?? null, p90_ms: p90 ?? null, p99_ms: p99 ?? null };
    }),
    outcomes: [...byCapability]
      .sort(([, a], [, b]) => b.interactions - a.interactions)
      .map(([capability, s]) => ({ capability, success: s.interactions - s.errors, failure: s.errors })),
    scatter: scatter.results.map((r) => ({
      trace_id: String(r.trace_id),
      capability: String(r.capability),
      prompt_chars: Number(r.prompt_chars),
      duration_ms: Number(r.latency_ms),
    })),
    table,
    new_capabilities: fresh.results.map((r) => ({
      capability: String(r.capability),
      first_seen_at: isoTime(Number(r.first_seen_at)),
    })),
  };
}
