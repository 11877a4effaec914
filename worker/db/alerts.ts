import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Thresholds per tenant × detector; a detector without a row runs on its defaults. */
export const alertRules = sqliteTable(
  "alert_rules",
  {
    tenantId: text("tenant_id").notNull(),
    detector: text("detector").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    /** The detector's settings as JSON (worker/alerts/rules.ts validates them). */
    config: text("config").notNull(),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.detector] })],
);

/** Incidents (worker/alerts/schemas.ts AlertEvent); at most one firing per dedup key. */
export const alertEvents = sqliteTable(
  "alert_events",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    detector: text("detector").notNull(),
    capability: text("capability"),
    window: text("window").notNull(),
    windowStart: integer("window_start").notNull(),
    windowEnd: integer("window_end").notNull(),
    observed: real("observed").notNull(),
    expected: real("expected"),
    deltaPct: real("delta_pct"),
    severity: text("severity").notNull(),
    state: text("state").notNull(),
    summary: text("summary").notNull(),
    link: text("link").notNull(),
    dedupKey: text("dedup_key").notNull(),
    firedAt: integer("fired_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    resolvedAt: integer("resolved_at"),
    acknowledgedAt: integer("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
    notifications: integer("notifications").notNull().default(0),
    lastNotifiedAt: integer("last_notified_at"),
    /** Severity the channels were last told of (re-notify when it rises). */
    notifiedSeverity: text("notified_severity"),
  },
  (t) => [
    uniqueIndex("alert_events_open_idx").on(t.tenantId, t.dedupKey).where(sql`state = 'firing'`),
    index("alert_events_tenant_fired_idx").on(t.tenantId, t.firedAt),
  ],
);
