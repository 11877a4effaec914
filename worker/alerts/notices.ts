/**
 * What the channels still have to hear. An incident's notified state (notifications,
 * notified_severity, last_notified_at) is moved only after the channels took the notice, so a
 * notice lost to a crash or a failed hand-over is found again by the next scan; its `key` makes
 * sending it twice deliver it once. notified_severity is what the channels believe is open: set
 * by a trigger, cleared by the resolve.
 */
import type { TenantContext } from "../db/client";
import { notifyChannels } from "./channels/notify";
import type { EffectiveRule } from "./queries";
import { type EventRow, toAlertEvent } from "./queries";
import type { AlertNotice, Detector, Severity } from "./schemas";

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
/** How far back a resolved incident's missed resolve notice is still looked for. */
const RESOLVE_LOOKBACK_MS = 30 * 24 * 3600_000;

type Rules = { [D in Detector]: Pick<EffectiveRule<D>, "config"> };

function triggerReason(e: EventRow, rules: Rules, now: number): AlertNotice["reason"] | null {
  if (e.notifications === 0 || !e.notified_severity) return "new";
  if (RANK[e.severity] > RANK[e.notified_severity]) return "escalated";
  const every = rules[e.detector].config.renotify_minutes * 60_000;
  // Reminders are for what still needs someone: not for information, nor once acknowledged.
  const remind = e.severity !== "info" && e.acknowledged_at === null;
  if (remind && now - (e.last_notified_at ?? 0) >= every) return "reminder";
  return null;
}

async function lagging(tenant: TenantContext, now: number): Promise<EventRow[]> {
  const { results } = await tenant.d1
    .prepare(
      `SELECT * FROM alert_events WHERE tenant_id = ?1 AND (state = 'firing'
         OR (fired_at >= ?2 AND state = 'resolved' AND notified_severity IS NOT NULL))`,
    )
    .bind(tenant.id, now - RESOLVE_LOOKBACK_MS)
    .all<EventRow>();
  return results;
}

export function noticesFor(rows: EventRow[], rules: Rules, now: number): AlertNotice[] {
  return rows.flatMap((e): AlertNotice[] => {
    const event = toAlertEvent(e);
    if (e.state === "resolved") {
      return e.notified_severity
        ? [{ event, action: "resolve", reason: "resolved", key: `${e.id}:resolve` }]
        : [];
    }
    const reason = triggerReason(e, rules, now);
    return reason
      ? [{ event, action: "trigger", reason, key: `${e.id}:trigger:${e.notifications + 1}` }]
      : [];
  });
}

/** Compare-and-set on the notification count, so two scans sending the same notice count it once. */
function markStatement(d1: D1Database, tenantId: string, n: AlertNotice, now: number, prior: number) {
  if (n.action === "resolve") {
    return d1
      .prepare(
        "UPDATE alert_events SET notified_severity = NULL, last_notified_at = ?1 WHERE tenant_id = ?2 AND id = ?3 AND state = 'resolved'",
      )
      .bind(now, tenantId, n.event.id);
  }
  return d1
    .prepare(
      `UPDATE alert_events SET notifications = notifications + 1, notified_severity = ?1, last_notified_at = ?2
       WHERE tenant_id = ?3 AND id = ?4 AND notifications = ?5`,
    )
    .bind(n.event.severity, now, tenantId, n.event.id, prior);
}

/** Sends every notice the tenant's incidents lag behind, then records them as sent. */
export async function sendPendingNotices(
  tenant: TenantContext,
  rules: Rules,
  now: number,
): Promise<AlertNotice[]> {
  const rows = await lagging(tenant, now);
  const notices = noticesFor(rows, rules, now);
  if (!notices.length) return [];
  await notifyChannels(tenant, notices);
  const prior = new Map(rows.map((r) => [r.id, r.notifications]));
  await tenant.d1.batch(
    notices.map((n) => markStatement(tenant.d1, tenant.id, n, now, prior.get(n.event.id) ?? 0)),
  );
  return notices;
}
