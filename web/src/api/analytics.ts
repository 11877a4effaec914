import type { z } from "@hono/zod-openapi";
import { query } from "@solidjs/router";
import type { AnalyticsQuery, Analytics as AnalyticsSchema } from "../../../worker/analytics/schemas";
import { api, ok } from "./client";

export type Analytics = z.output<typeof AnalyticsSchema>;
export type LatencyRow = Analytics["latency"][number];
export type ToolRow = Analytics["tools"][number];
export type Bucket = Analytics["bucket"];

const HOUR = 3_600_000;

/** The ranges the page offers; each picks the bucket that gives a readable number of bars. */
export const ranges = {
  "24h": { label: "24 hours", ms: 24 * HOUR, bucket: "hour" },
  "7d": { label: "7 days", ms: 7 * 24 * HOUR, bucket: "hour" },
  "30d": { label: "30 days", ms: 30 * 24 * HOUR, bucket: "day" },
} as const satisfies Record<string, { label: string; ms: number; bucket: Bucket }>;
export type RangeId = keyof typeof ranges;

export const isRangeId = (v: unknown): v is RangeId => typeof v === "string" && Object.hasOwn(ranges, v);

export const getAnalytics = query(async (range: RangeId, agent: string | undefined) => {
  const to = Date.now();
  const q: z.input<typeof AnalyticsQuery> = {
    from: new Date(to - ranges[range].ms).toISOString(),
    to: new Date(to).toISOString(),
    bucket: ranges[range].bucket,
    agent,
  };
  return ok(api.analytics.$get({ query: q }));
}, "analytics");
