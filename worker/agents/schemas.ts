import { z } from "@hono/zod-openapi";

export const Agent = z
  .object({
    name: z.string(),
    first_seen_at: z.iso.datetime(),
    last_seen_at: z.iso.datetime(),
    traces_24h: z.number().int(),
    errors_24h: z.number().int(),
    error_rate_24h: z
      .number()
      .openapi({ description: "Share of the last 24 h's traces with status error (0–1)" }),
    p95_latency_ms_24h: z.number().int().nullable(),
    cost_usd_24h: z.number(),
    tokens_24h: z.number().int(),
  })
  .openapi("Agent");

export const AgentList = z
  .object({ data: z.array(Agent), next_cursor: z.string().nullable() })
  .openapi("AgentList");

export type Agent = z.output<typeof Agent>;
export type AgentList = z.output<typeof AgentList>;
