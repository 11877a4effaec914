import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { traceReader } from "../auth/visibility";
import { createRouter, errors, json, security } from "../lib/openapi";
import { listAgents } from "./queries";
import { AgentList } from "./schemas";

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
  const data = await listAgents(traceReader(c.var.tenant), Date.now());
  return c.json({ data, next_cursor: null }, 200);
});
