import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { dataD1 } from "../db/client";
import { createRouter, errors, json, security } from "../lib/openapi";
import { listAgents } from "./queries";

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
export type Agent = z.output<typeof Agent>;

const AgentList = z.object({ data: z.array(Agent), next_cursor: z.string().nullable() }).openapi("AgentList");

const list = createRoute({
  method: "get",
  path: "/agents",
  tags: ["agents"],
  summary: "Agents with their last 24 hours",
  security: security.either,
  middleware: [requireAuth({ scope: "read" })],
  responses: { 200: json(AgentList, "Agents, most recently seen first"), ...errors(401, 403) },
});

export const agentRoutes = createRouter().openapi(list, async (c) => {
  const p = c.var.principal;
  return c.json(
    { data: await listAgents(dataD1(c.env, p.tenant), p.tenant.id, Date.now()), next_cursor: null },
    200,
  );
});
