/** alert_channels and alert_deliveries rows, and how the API shows them. */
import { isoTime, isoTimeOrNull } from "../../lib/time";
import type { AlertNotice, Severity } from "../schemas";
import type { AlertChannel, AlertDelivery, ChannelKind } from "./schemas";

export type ChannelRow = {
  id: string;
  tenant_id: string;
  kind: ChannelKind;
  name: string;
  secret_cipher: string;
  target_hint: string;
  min_severity: Severity;
  enabled: number;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  created_at: number;
  created_by: string;
};

export const CHANNEL_COLUMNS = `id, tenant_id, kind, name, secret_cipher, target_hint, min_severity, enabled,
  last_status, last_error, last_attempt_at, last_success_at, created_at, created_by`;

export type DeliveryRow = {
  id: string;
  tenant_id: string;
  channel_id: string;
  event_id: string;
  notice_key: string;
  action: "trigger" | "resolve";
  notice: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
};

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export async function getChannel(db: D1Database, tenantId: string, id: string): Promise<ChannelRow | null> {
  return db
    .prepare(`SELECT ${CHANNEL_COLUMNS} FROM alert_channels WHERE tenant_id = ? AND id = ?`)
    .bind(tenantId, id)
    .first<ChannelRow>();
}

export function toChannel(r: ChannelRow): AlertChannel {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    target_hint: r.target_hint,
    min_severity: r.min_severity,
    enabled: r.enabled === 1,
    last_status: r.last_status,
    last_error: r.last_error,
    last_attempt_at: isoTimeOrNull(r.last_attempt_at),
    last_success_at: isoTimeOrNull(r.last_success_at),
    created_at: isoTime(r.created_at),
    created_by: r.created_by,
  };
}

export function toDelivery(r: DeliveryRow): AlertDelivery {
  return {
    id: r.id,
    event_id: r.event_id,
    notice_key: r.notice_key,
    action: r.action,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === "pending" ? isoTimeOrNull(r.next_attempt_at) : null,
    last_status: r.last_status,
    last_error: r.last_error,
    created_at: isoTime(r.created_at),
    delivered_at: isoTimeOrNull(r.delivered_at),
  };
}

export const parseNotice = (r: Pick<DeliveryRow, "notice">) => JSON.parse(r.notice) as AlertNotice;

/** How audit events name a channel. */
export const auditTarget = (r: { id: string; name: string }) => [
  { type: "alert_channel", id: r.id, name: r.name },
];
