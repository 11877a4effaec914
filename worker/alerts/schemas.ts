import { z } from "@hono/zod-openapi";

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
