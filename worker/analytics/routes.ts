import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { dataD1 } from "../db/client";
import { createRouter, errors, json, security } from "../lib/openapi";
import { analytics } from "./queries";
import { Analytics, AnalyticsQuery } from "./schemas";

const get = createRoute({
  method: "get",
  path: "/analytics",
  tags: ["analytics"],
  summary: "Cost, tokens, error rate, latency percentiles and tool usage over a time range",
  security: security.either,
  middleware: [requireAuth({ scope: "read" })],
  request: { query: AnalyticsQuery },
  responses: { 200: json(Analytics, "Series and breakdowns"), ...errors(400, 401, 403) },
});

export const analyticsRoutes = createRouter().openapi(get, async (c) => {
  const p = c.var.principal;
  return c.json(await analytics(dataD1(c.env, p.tenant), p.tenant.id, c.req.valid("query")), 200);
});
