/**
 * The detectors' way in: `notifyChannels(tenant, notices)` records one alert_deliveries row per
 * channel per notice and queues it. A trigger goes to every enabled channel whose min_severity is
 * at or below the event's; a resolve goes to the enabled channels that were given a trigger for
 * the same event (so whoever was paged is told it cleared, and nobody else). The unique
 * (channel_id, notice_key) index makes handing the same notice over twice deliver it once.
 */
import type { TenantContext } from "../../db/client";
import { newId } from "../../lib/ids";
import type { AlertNotice } from "../schemas";
import type { AlertDeliveryMessage } from "./schemas";
import { SEVERITY_RANK } from "./store";

type Target = { id: string; min_severity: keyof typeof SEVERITY_RANK };

async function triggeredChannels(db: D1Database, tenantId: string, eventId: string): Promise<Set<string>> {
  const { results } = await db
    .prepare(
      "SELECT DISTINCT channel_id FROM alert_deliveries WHERE tenant_id = ? AND event_id = ? AND action = 'trigger'",
    )
    .bind(tenantId, eventId)
    .all<{ channel_id: string }>();
  return new Set(results.map((r) => r.channel_id));
}

async function targetsOf(db: D1Database, tenantId: string, notice: AlertNotice, channels: Target[]) {
  if (notice.action === "resolve") {
    const got = await triggeredChannels(db, tenantId, notice.event.id);
    return channels.filter((c) => got.has(c.id));
  }
  const rank = SEVERITY_RANK[notice.event.severity];
  return channels.filter((c) => SEVERITY_RANK[c.min_severity] <= rank);
}

export async function enqueueDeliveries(env: Env, tenantId: string, ids: string[], delaySeconds?: number) {
  for (let i = 0; i < ids.length; i += 100) {
    await env.ALERTS_QUEUE.sendBatch(
      ids.slice(i, i + 100).map((id) => ({
        body: { tenant_id: tenantId, delivery_id: id } satisfies AlertDeliveryMessage,
        ...(delaySeconds ? { delaySeconds } : {}),
      })),
    );
  }
}

export async function notifyChannels(tenant: TenantContext, notices: AlertNotice[]): Promise<void> {
  if (!notices.length) return;
  const db = tenant.d1;
  const { results: channels } = await db
    .prepare("SELECT id, min_severity FROM alert_channels WHERE tenant_id = ? AND enabled = 1")
    .bind(tenant.id)
    .all<Target>();
  if (!channels.length) return;
  const now = Date.now();
  const insert = db.prepare(
    `INSERT INTO alert_deliveries (id, tenant_id, channel_id, event_id, notice_key, action, notice, status,
       attempts, next_attempt_at, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0, ?8, ?8)
     ON CONFLICT (channel_id, notice_key) DO NOTHING RETURNING id`,
  );
  const statements: D1PreparedStatement[] = [];
  for (const notice of notices) {
    const body = JSON.stringify(notice);
    for (const c of await targetsOf(db, tenant.id, notice, channels)) {
      statements.push(
        insert.bind(newId("adl_"), tenant.id, c.id, notice.event.id, notice.key, notice.action, body, now),
      );
    }
  }
  if (!statements.length) return;
  const inserted = await db.batch<{ id: string }>(statements);
  // A lost send is picked up by the minute sweep (the rows are pending and due).
  const ids = inserted.flatMap((r) => r.results.map((row) => row.id));
  await enqueueDeliveries(tenant.env, tenant.id, ids);
}
