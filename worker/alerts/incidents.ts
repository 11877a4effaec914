/**
 * Findings become incidents. One incident per dedup key (detector × capability × window) is
 * firing at a time, enforced by the partial unique index `alert_events_open_idx`: an insert that
 * meets an open incident does nothing, so concurrent or repeated scans make one. A firing
 * incident whose detector ran and did not find it again is resolved.
 */
import type { TenantContext } from "../db/client";
import { isoTime } from "../lib/time";
import type { Finding } from "./detectors";
import { type EventRow, toAlertEvent } from "./queries";
import type { AlertEvent, Detector } from "./schemas";

export const dedupKey = (f: Pick<Finding, "detector" | "capability" | "window">) =>
  `${f.detector}:${f.capability ?? "-"}:${f.window}`;

/** The dashboards' view of the capability over the window; the channels make it absolute. */
export function linkFor(f: Finding): string {
  if (!f.capability) return "/analytics";
  const q = new URLSearchParams({
    tab: "capability",
    capability: f.capability,
    from: isoTime(f.windowStart),
    to: isoTime(f.windowEnd),
  });
  return `/analytics?${q}`;
}

export function newIncident(tenantId: string, f: Finding, id: string, now: number): EventRow {
  return {
    id,
    tenant_id: tenantId,
    detector: f.detector,
    capability: f.capability,
    window: f.window,
    window_start: f.windowStart,
    window_end: f.windowEnd,
    observed: f.observed,
    expected: f.expected,
    delta_pct: f.deltaPct,
    severity: f.severity,
    state: "firing",
    summary: f.summary,
    link: linkFor(f),
    dedup_key: dedupKey(f),
    fired_at: now,
    updated_at: now,
    resolved_at: null,
    acknowledged_at: null,
    acknowledged_by: null,
    notifications: 0,
    last_notified_at: null,
    notified_severity: null,
  };
}

export async function openIncidents(tenant: TenantContext): Promise<EventRow[]> {
  const { results } = await tenant.d1
    .prepare("SELECT * FROM alert_events WHERE tenant_id = ? AND state = 'firing'")
    .bind(tenant.id)
    .all<EventRow>();
  return results;
}

const COLUMNS: readonly (keyof EventRow)[] = [
  "id",
  "tenant_id",
  "detector",
  "capability",
  "window",
  "window_start",
  "window_end",
  "observed",
  "expected",
  "delta_pct",
  "severity",
  "state",
  "summary",
  "link",
  "dedup_key",
  "fired_at",
  "updated_at",
  "notifications",
];

function insertStatement(d1: D1Database, row: EventRow): D1PreparedStatement {
  const marks = COLUMNS.map((_, i) => `?${i + 1}`).join(", ");
  return d1
    .prepare(
      `INSERT INTO alert_events (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${marks}) ON CONFLICT DO NOTHING`,
    )
    .bind(...COLUMNS.map((c) => row[c]));
}

/** A finding that still holds refreshes its figures (the severity may rise or fall). */
function refreshStatement(d1: D1Database, open: EventRow, f: Finding, now: number): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE alert_events SET observed = ?1, expected = ?2, delta_pct = ?3, severity = ?4, summary = ?5,
         window_start = ?6, window_end = ?7, updated_at = ?8
       WHERE tenant_id = ?9 AND id = ?10 AND state = 'firing'`,
    )
    .bind(
      f.observed,
      f.expected,
      f.deltaPct,
      f.severity,
      f.summary,
      f.windowStart,
      f.windowEnd,
      now,
      open.tenant_id,
      open.id,
    );
}

function resolveStatement(d1: D1Database, open: EventRow, now: number): D1PreparedStatement {
  return d1
    .prepare(
      "UPDATE alert_events SET state = 'resolved', resolved_at = ?1, updated_at = ?1 WHERE tenant_id = ?2 AND id = ?3 AND state = 'firing'",
    )
    .bind(now, open.tenant_id, open.id);
}

const changed = (open: EventRow, f: Finding) =>
  open.severity !== f.severity || open.observed !== f.observed || open.expected !== f.expected;

export type Reconciled = { fired: AlertEvent[]; resolved: AlertEvent[] };

/**
 * Applies this scan's findings for the detectors it ran (`ran`): new incidents, refreshed ones,
 * resolutions. Returns only what this call itself fired or resolved (a racing scan's work is its own).
 */
export async function reconcile(
  tenant: TenantContext,
  findings: Finding[],
  ran: ReadonlySet<Detector>,
  now: number,
  newId: () => string,
): Promise<Reconciled> {
  const open = new Map((await openIncidents(tenant)).map((e) => [e.dedup_key, e]));
  const found = new Map(findings.map((f) => [dedupKey(f), f]));
  const inserts = [...found]
    .filter(([k]) => !open.has(k))
    .map(([, f]) => newIncident(tenant.id, f, newId(), now));
  const refreshes = [...found].flatMap(([k, f]) => {
    const o = open.get(k);
    return o && changed(o, f) ? [refreshStatement(tenant.d1, o, f, now)] : [];
  });
  const resolving = [...open.values()].filter((o) => ran.has(o.detector) && !found.has(o.dedup_key));
  const statements = [
    ...inserts.map((r) => insertStatement(tenant.d1, r)),
    ...resolving.map((o) => resolveStatement(tenant.d1, o, now)),
    ...refreshes,
  ];
  if (!statements.length) return { fired: [], resolved: [] };
  const results = await tenant.d1.batch(statements);
  const did = (i: number) => (results[i]?.meta.changes ?? 0) > 0;
  return {
    fired: inserts.filter((_, i) => did(i)).map(toAlertEvent),
    resolved: resolving
      .filter((_, i) => did(inserts.length + i))
      .map((o) => toAlertEvent({ ...o, state: "resolved", resolved_at: now, updated_at: now })),
  };
}
