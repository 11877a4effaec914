import { z } from "@hono/zod-openapi";
import { IsoTime } from "../lib/time";

export const AnalyticsQuery = z.object({
  from: IsoTime.optional().openapi({ description: "Default: 7 days before `to`" }),
  to: IsoTime.optional().openapi({ description: "Default: now" }),
  bucket: z.enum(["hour", "day"]).optional().openapi({ description: "Default: hour up to 2 days, else day" }),
  agent: z.string().max(200).optional(),
});

const Point = z.object({ t: z.iso.datetime(), value: z.number() });
const Series = z.object({ key: z.string(), points: z.array(Point) });

export const Analytics = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    bucket: z.enum(["hour", "day"]),
    cost_by_agent: z.array(Series).openapi({ description: "USD per bucket, one series per agent" }),
    cost_by_model: z.array(Series).openapi({ description: "USD per bucket, one series per model" }),
    tokens: z.array(Series).openapi({ description: "`input` and `output` tokens per bucket" }),
    error_rate: z.array(Point).openapi({ description: "Share of traces with status error per bucket (0–1)" }),
    traces: z.array(Point).openapi({ description: "Traces started per bucket" }),
    latency: z.array(
      z.object({
        agent: z.string(),
        count: z.number().int(),
        p50_ms: z.number().nullable(),
        p95_ms: z.number().nullable(),
        p99_ms: z.number().nullable(),
        histogram: z.array(z.object({ le_ms: z.number(), count: z.number().int() })),
      }),
    ),
    tools: z.array(
      z.object({
        tool: z.string(),
        calls: z.number().int(),
        errors: z.number().int(),
        p95_ms: z.number().nullable(),
      }),
    ),
  })
  .openapi("Analytics");

export type AnalyticsQuery = z.output<typeof AnalyticsQuery>;
export type Analytics = z.output<typeof Analytics>;

// ——— Fleet analytics (rollups): Overview, Workspace and Capability tabs ———

export const FleetQuery = z.object({
  from: IsoTime.optional().openapi({ description: "Default: the 7 UTC days ending with the day of `to`" }),
  to: IsoTime.optional().openapi({ description: "Default: now" }),
  provider: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "`openai`, `anthropic`, … or `unspecified`" }),
  capability: z.string().min(1).max(200).optional(),
});
export type FleetQuery = z.output<typeof FleetQuery>;

export const WorkspacesQuery = FleetQuery.extend({
  inactive: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "`true`: only workspaces with no interaction in the last 7 days" }),
});
export type WorkspacesQuery = z.output<typeof WorkspacesQuery>;

/** How current the rollups are (the fold's sync state). */
export const Freshness = z
  .object({
    last_folded_at: z.iso.datetime().nullable(),
    newest_source_at: z.iso.datetime().nullable(),
    /** Age of the oldest trace change not folded yet (0 when caught up), ms. */
    lag_ms: z.number().int(),
    rows_folded: z.number().int(),
    last_rows: z.number().int(),
    last_duration_ms: z.number(),
    /** D1 rows the last fold run read and wrote (its cost). */
    last_rows_read: z.number().int(),
    last_rows_written: z.number().int(),
    /** `fresh` under 5 minutes of lag, else `stale`. */
    state: z.enum(["fresh", "stale", "never"]),
  })
  .openapi("AnalyticsFreshness");
export type Freshness = z.output<typeof Freshness>;

const Day = z.string().openapi({ description: "UTC day, YYYY-MM-DD", example: "2026-12-04" });
const DayPoint = z.object({ day: Day, value: z.number() });
const DaySeries = z.object({ key: z.string(), points: z.array(DayPoint) });

const Percentiles = z.object({
  p50_ms: z.number().nullable(),
  p90_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  p99_ms: z.number().nullable(),
  max_ms: z.number().nullable(),
  avg_ms: z.number().nullable(),
});

export const FleetOverview = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    freshness: Freshness,
    kpis: z.object({
      /** Interactions (traces) started in the last 24 h (to the hour). */
      interactions_24h: z.number().int(),
      /** Distinct workspaces with an interaction in the last 7 UTC days. */
      active_workspaces_7d: z.number().int(),
      /** errors ÷ interactions over the last 24 h; null with no interactions. */
      error_rate_24h: z.number().nullable(),
      /** p95 latency over every interaction of the last 24 h (so weighted by interactions). */
      p95_ms_24h: z.number().nullable(),
    }),
    /** Interactions per day, one series per capability (the stacked area). */
    interactions_by_capability: z.array(DaySeries),
    /** errors ÷ interactions per day. */
    error_rate: z.array(DayPoint),
    error_rate_target: z.number(),
    provider_mix: z.array(z.object({ provider: z.string(), interactions: z.number().int() })),
    capabilities: z.array(
      z.object({
        capability: z.string(),
        interactions: z.number().int(),
        errors: z.number().int(),
        error_rate: z.number(),
        p95_ms: z.number().nullable(),
        cost_usd: z.number(),
      }),
    ),
    providers: z.array(z.string()).openapi({ description: "Every provider in range (for the filter)" }),
    capability_names: z
      .array(z.string())
      .openapi({ description: "Every capability in range (for the filter)" }),
  })
  .openapi("FleetOverview");
export type FleetOverview = z.output<typeof FleetOverview>;

export const FleetWorkspaces = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    freshness: Freshness,
    /** Workspaces over the range, most interactions first (the leaderboard and the table). */
    workspaces: z.array(
      z.object({
        workspace: z.string(),
        last_interaction_at: z.iso.datetime(),
        interactions: z.number().int(),
        errors: z.number().int(),
        error_rate: z.number(),
        /** Over the 5 % error-rate target. */
        flagged: z.boolean(),
        /** Distinct capabilities over the range. */
        capabilities: z.number().int(),
        cost_usd: z.number(),
        /** No interaction in the 7 days before `to`. */
        inactive: z.boolean(),
      }),
    ),
    /** date × workspace interactions, for the heatmap (the top workspaces). */
    heatmap: z.array(z.object({ day: Day, workspace: z.string(), interactions: z.number().int() })),
    days: z.array(Day),
  })
  .openapi("FleetWorkspaces");
export type FleetWorkspaces = z.output<typeof FleetWorkspaces>;

export const DeviationState = z.enum(["normal", "spike", "drop", "high", "low", "new"]);

export const FleetCapabilities = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    freshness: Freshness,
    kpis: z.object({
      new_capabilities_7d: z.number().int(),
      spikes_24h: z.number().int(),
      drops_24h: z.number().int(),
    }),
    /** Alert incidents in range per capability and severity. */
    anomalies: z.array(
      z.object({
        capability: z.string(),
        info: z.number().int(),
        warning: z.number().int(),
        critical: z.number().int(),
      }),
    ),
    /** Per day latency bands over the filtered capabilities. */
    latency: z.array(
      z.object({
        day: Day,
        p50_ms: z.number().nullable(),
        p90_ms: z.number().nullable(),
        p99_ms: z.number().nullable(),
      }),
    ),
    outcomes: z.array(
      z.object({ capability: z.string(), success: z.number().int(), failure: z.number().int() }),
    ),
    /** Up to 500 recent interactions: prompt length (characters) against duration. */
    scatter: z.array(
      z.object({
        trace_id: z.string(),
        capability: z.string(),
        prompt_chars: z.number().int(),
        duration_ms: z.number(),
      }),
    ),
    /** date × capability, newest first: count, 7-day median before it, and its state. */
    table: z.array(
      z.object({
        day: Day,
        capability: z.string(),
        interactions: z.number().int(),
        median_7d: z.number().nullable(),
        state: DeviationState,
        latency: Percentiles,
      }),
    ),
    new_capabilities: z.array(z.object({ capability: z.string(), first_seen_at: z.iso.datetime() })),
  })
  .openapi("FleetCapabilities");
export type FleetCapabilities = z.output<typeof FleetCapabilities>;

export const RepairRequest = z
  .object({ from: IsoTime, to: IsoTime })
  .strict()
  .openapi("AnalyticsRepairRequest");
export const RepairAccepted = z
  .object({
    from: z.iso.datetime().openapi({ description: "Start of the first whole UTC day recomputed" }),
    to: z.iso.datetime().openapi({ description: "End of the last whole UTC day recomputed" }),
    status: z.literal("queued"),
  })
  .openapi("AnalyticsRepairAccepted");
