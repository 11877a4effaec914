import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { dataD1 } from "../db/client";
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
  const p = c.var.principal;
  return c.json(
    { data: await listAgents(dataD1(c.env, p.tenant), p.tenant.id, Date.now()), next_cursor: null },
    200,
  );
});
