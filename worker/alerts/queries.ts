/** Tenant-scoped reads of alert rules and incidents. */
import type { TenantContext } from "../db/client";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { NotFoundError } from "../lib/errors";
import { isoTime, isoTimeOrNull } from "../lib/time";
import { checkConfig, DETECTORS, type DetectorConfigs, defaultConfig } from "./rules";
import type { AlertEvent, Detector, Severity } from "./schemas";

export type EventRow = {
  id: string;
  tenant_id: string;
  detector: Detector;
  capability: string | null;
  window: string;
  window_start: number;
  window_end: number;
  observed: number;
  expected: number | null;
  delta_pct: number | null;
  severity: Severity;
  state: "firing" | "resolved";
  summary: string;
  link: string;
  dedup_key: string;
  fired_at: number;
  updated_at: number;
  resolved_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  notifications: number;
  last_notified_at: number | null;
  notified_severity: Severity | null;
};

export function toAlertEvent(r: EventRow): AlertEvent {
  return {
    id: r.id,
    detector: r.detector,
    capability: r.capability,
    window: r.window,
    window_start: isoTime(r.window_start),
    window_end: isoTime(r.window_end),
    observed: r.observed,
    expected: r.expected,
    delta_pct: r.delta_pct,
    severity: r.severity,
    state: r.state,
    summary: r.summary,
    link: r.link,
    dedup_key: r.dedup_key,
    fired_at: isoTime(r.fired_at),
    updated_at: isoTime(r.updated_at),
    resolved_at: isoTimeOrNull(r.resolved_at),
    acknowledged_at: isoTimeOrNull(r.acknowledged_at),
    acknowledged_by: r.acknowledged_by,
    notifications: r.notifications,
  };
}

export type RuleRow = {
  detector: string;
  enabled: number;
  config: string;
  updated_at: number;
  updated_by: string;
};

export type EffectiveRule<D extends Detector = Detector> = {
  detector: D;
  config: DetectorConfigs[D];
  updatedAt: number | null;
  updatedBy: string | null;
};

export async function ruleRows(tenant: TenantContext): Promise<Map<string, RuleRow>> {
  const { results } = await tenant.d1
    .prepare("SELECT detector, enabled, config, updated_at, updated_by FROM alert_rules WHERE tenant_id = ?")
    .bind(tenant.id)
    .all<RuleRow>();
  return new Map(results.map((r) => [r.detector, r]));
}

/** A stored config read through today's schema: fields added since take their defaults. */
function effective<D extends Detector>(detector: D, row: RuleRow | undefined): EffectiveRule<D> {
  if (!row) return { detector, config: defaultConfig(detector), updatedAt: null, updatedBy: null };
  let stored: unknown = {};
  try {
    stored = JSON.parse(row.config);
  } catch {}
  const checked = checkConfig(detector, { ...(stored as object), enabled: row.enabled === 1 });
  if (!checked.ok) console.error("alert rule no longer valid; using defaults", detector, checked.details);
  const config = checked.ok ? checked.value : defaultConfig(detector);
  return { detector, config, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export async function loadRules(tenant: TenantContext): Promise<{ [D in Detector]: EffectiveRule<D> }> {
  const rows = await ruleRows(tenant);
  return Object.fromEntries(DETECTORS.map((d) => [d, effective(d, rows.get(d))])) as {
    [D in Detector]: EffectiveRule<D>;
  };
}

export type EventFilter = {
  state?: "firing" | "resolved";
  detector?: Detector;
  capability?: string;
  severity?: Severity;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
};

/** Incidents newest first (by firing time), keyset-paged on (fired_at, id). */
export async function listEvents(tenant: TenantContext, f: EventFilter) {
  const [cursorAt, cursorId] = f.cursor ? decodeCursor(f.cursor) : [null, null];
  const { results } = await tenant.d1
    .prepare(
      `SELECT * FROM alert_events WHERE tenant_id = ?1
         AND fired_at >= ?2 AND fired_at < ?3
         AND (?4 IS NULL OR state = ?4) AND (?5 IS NULL OR detector = ?5)
         AND (?6 IS NULL OR capability = ?6) AND (?7 IS NULL OR severity = ?7)
         AND (?8 IS NULL OR fired_at < ?8 OR (fired_at = ?8 AND id < ?9))
       ORDER BY fired_at DESC, id DESC LIMIT ?10`,
    )
    .bind(
      tenant.id,
      f.from ? Date.parse(f.from) : 0,
      f.to ? Date.parse(f.to) : Number.MAX_SAFE_INTEGER,
      f.state ?? null,
      f.detector ?? null,
      f.capability ?? null,
      f.severity ?? null,
      cursorAt,
      cursorId,
      f.limit + 1,
    )
    .all<EventRow>();
  const page = results.slice(0, f.limit);
  const last = page.at(-1);
  const more = results.length > f.limit && last;
  return { data: page.map(toAlertEvent), next_cursor: more ? encodeCursor([last.fired_at, last.id]) : null };
}

export async function eventRow(tenant: TenantContext, id: string): Promise<EventRow> {
  const row = await tenant.d1
    .prepare("SELECT * FROM alert_events WHERE tenant_id = ? AND id = ?")
    .bind(tenant.id, id)
    .first<EventRow>();
  if (!row) throw new NotFoundError("Alert event");
  return row;
}

export async function getEvent(tenant: TenantContext, id: string): Promise<AlertEvent> {
  return toAlertEvent(await eventRow(tenant, id));
}
