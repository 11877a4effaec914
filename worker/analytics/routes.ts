import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { traceReader } from "../auth/visibility";
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
  return c.json(await analytics(traceReader(c.var.tenant), c.req.valid("query")), 200);
});
