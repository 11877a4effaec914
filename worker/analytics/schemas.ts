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
