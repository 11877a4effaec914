/** Tenant-scoped reads of channels and their deliveries; another tenant's id is not found. */
import { auditLog, type TenantContext } from "../../db/client";
import { NotFoundError } from "../../lib/errors";
import type { AlertChannel, AlertDelivery } from "./schemas";
import {
  CHANNEL_COLUMNS,
  type ChannelRow,
  type DeliveryRow,
  getChannel,
  toChannel,
  toDelivery,
} from "./store";

const RECENT_DELIVERIES = 50;

export async function mustGetChannel(db: D1Database, tenantId: string, id: string): Promise<ChannelRow> {
  const row = await getChannel(db, tenantId, id);
  if (!row) throw new NotFoundError("Alert channel");
  return row;
}

export async function listChannels(tenant: TenantContext): Promise<{ data: AlertChannel[] }> {
  const { results } = await auditLog(tenant)
    .d1.prepare(`SELECT ${CHANNEL_COLUMNS} FROM alert_channels WHERE tenant_id = ? ORDER BY created_at, id`)
    .bind(tenant.id)
    .all<ChannelRow>();
  return { data: results.map(toChannel) };
}

export async function readChannel(tenant: TenantContext, id: string): Promise<AlertChannel> {
  return toChannel(await mustGetChannel(auditLog(tenant).d1, tenant.id, id));
}

export async function listDeliveries(tenant: TenantContext, id: string): Promise<{ data: AlertDelivery[] }> {
  const db = auditLog(tenant).d1;
  await mustGetChannel(db, tenant.id, id);
  const { results } = await db
    .prepare(
      "SELECT * FROM alert_deliveries WHERE tenant_id = ? AND channel_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
    )
    .bind(tenant.id, id, RECENT_DELIVERIES)
    .all<DeliveryRow>();
  return { data: results.map(toDelivery) };
}
