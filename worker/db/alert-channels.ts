import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { AlertNotice } from "../alerts/schemas";

/** Where a tenant's alerts go: Slack, PagerDuty, Google Chat or a signed webhook. */
export const alertChannels = sqliteTable(
  "alert_channels",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kind: text("kind", { enum: ["slack", "pagerduty", "google_chat", "webhook"] }).notNull(),
    name: text("name").notNull(),
    /** The secret parts (webhook URL, routing key, signing secret), AES-GCM encrypted. */
    secretCipher: text("secret_cipher").notNull(),
    /** What may be shown of the target (its host), never the secret. */
    targetHint: text("target_hint").notNull(),
    minSeverity: text("min_severity", { enum: ["info", "warning", "critical"] }).notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    lastAttemptAt: integer("last_attempt_at"),
    lastSuccessAt: integer("last_success_at"),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [index("alert_channels_tenant_idx").on(t.tenantId)],
);

/** One notification to one channel; retried with backoff until delivered or given up. */
export const alertDeliveries = sqliteTable(
  "alert_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    channelId: text("channel_id").notNull(),
    eventId: text("event_id").notNull(),
    /** AlertNotice.key: one delivery per notice per channel. */
    noticeKey: text("notice_key").notNull(),
    action: text("action", { enum: ["trigger", "resolve"] }).notNull(),
    /** The notice as handed over (the event as it was then): what every attempt sends. */
    notice: text("notice", { mode: "json" }).$type<AlertNotice>().notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [
    uniqueIndex("alert_deliveries_channel_notice_idx").on(t.channelId, t.noticeKey),
    index("alert_deliveries_tenant_channel_created_idx").on(t.tenantId, t.channelId, t.createdAt),
    index("alert_deliveries_tenant_event_idx").on(t.tenantId, t.eventId),
    index("alert_deliveries_pending_idx").on(t.status, t.nextAttemptAt),
  ],
);
