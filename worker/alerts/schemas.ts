import { z } from "@hono/zod-openapi";
import { IsoTime } from "../lib/time";

/** The detectors (docs/alerts.md). `freshness` watches the analytics fold itself. */
export const Detector = z.enum(["spike", "drop", "error_surge", "new_capability", "deviation", "freshness"]);
export type Detector = z.output<typeof Detector>;

export const Severity = z.enum(["info", "warning", "critical"]);
export type Severity = z.output<typeof Severity>;

export const AlertState = z.enum(["firing", "resolved"]);

/** One incident: detector × capability × window, from first firing to resolution. */
export const AlertEvent = z
  .object({
    id: z.string(),
    detector: Detector,
    /** null for tenant-wide detectors (freshness). */
    capability: z.string().nullable(),
    /** The window the condition was measured over, e.g. `2026-12-04` (a UTC day) or `15m`. */
    window: z.string(),
    window_start: z.iso.datetime(),
    window_end: z.iso.datetime(),
    observed: z.number(),
    expected: z.number().nullable(),
    delta_pct: z.number().nullable(),
    severity: Severity,
    state: AlertState,
    /** A sentence for people: what was seen, against what. */
    summary: z.string(),
    /** Path of the filtered dashboard view, e.g. `/analytics?tab=capability&capability=x`. */
    link: z.string(),
    dedup_key: z.string(),
    fired_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    resolved_at: z.iso.datetime().nullable(),
    acknowledged_at: z.iso.datetime().nullable(),
    acknowledged_by: z.string().nullable(),
    /** How many times channels were told of it (first firing, escalations, reminders). */
    notifications: z.number().int(),
  })
  .openapi("AlertEvent");
export type AlertEvent = z.output<typeof AlertEvent>;

/**
 * What the detectors hand the channels (worker/alerts/channels): `trigger` for a new, escalated
 * or reminded incident, `resolve` when it cleared. `key` is unique per notification, so handing
 * the same notice over twice (a redelivered scan) delivers it once.
 */
export type AlertNotice = {
  event: AlertEvent;
  action: "trigger" | "resolve";
  reason: "new" | "escalated" | "reminder" | "resolved";
  key: string;
};

/** GET /alerts/events filters. */
export const AlertEventQuery = z.object({
  state: AlertState.optional(),
  detector: Detector.optional(),
  capability: z.string().min(1).max(200).optional(),
  severity: Severity.optional(),
  from: IsoTime.optional().openapi({ description: "Fired at or after" }),
  to: IsoTime.optional().openapi({ description: "Fired before" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const AlertEventList = z
  .object({ data: z.array(AlertEvent), next_cursor: z.string().nullable() })
  .openapi("AlertEventList");

export const AlertEventIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const DetectorParam = z.object({
  detector: Detector.openapi({ param: { name: "detector", in: "path" } }),
});

/** One detector's thresholds: what runs (`config`), and what a rule without settings runs on. */
export const AlertRule = z
  .object({
    detector: Detector,
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()).openapi({ description: "Effective settings (docs/alerts.md)" }),
    defaults: z.record(z.string(), z.unknown()),
    customized: z.boolean().openapi({ description: "Whether the tenant has saved settings for it" }),
    updated_at: z.iso.datetime().nullable(),
    updated_by: z.string().nullable(),
  })
  .openapi("AlertRule");
export type AlertRule = z.output<typeof AlertRule>;

export const AlertRuleList = z.object({ data: z.array(AlertRule) }).openapi("AlertRuleList");

export const AlertRuleImportResult = z
  .object({ data: z.array(AlertRule), changed: z.array(Detector) })
  .openapi("AlertRuleImportResult");
