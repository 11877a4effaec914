import { createRoute } from "@hono/zod-openapi";
import { recorder } from "../audit/recorder";
import { requireAuth } from "../auth/middleware";
import { traceReader } from "../auth/visibility";
import { ValidationError } from "../lib/errors";
import { createRouter, errors, json, jsonBody, security } from "../lib/openapi";
import { isoTime } from "../lib/time";
import { requestRepair } from "./consumer";
import { dayRange, fleetCapabilities, fleetOverview, fleetWorkspaces } from "./fleet";
import { analytics } from "./queries";
import { repairDays } from "./repair";
import {
  Analytics,
  AnalyticsQuery,
  FleetCapabilities,
  FleetOverview,
  FleetQuery,
  FleetWorkspaces,
  RepairAccepted,
  RepairRequest,
  WorkspacesQuery,
} from "./schemas";

const tags = ["analytics"];

const get = createRoute({
  method: "get",
  path: "/analytics",
  tags,
  summary: "Cost, tokens, error rate, latency percentiles and tool usage over a time range",
  security: security.either,
  middleware: [requireAuth({ scope: "read" })],
  request: { query: AnalyticsQuery },
  responses: { 200: json(Analytics, "Series and breakdowns"), ...errors(400, 401, 403) },
});

/** Fleet figures are tenant-wide, so viewers (who read only their own traces) are refused. */
const fleet = {
  security: security.either,
  middleware: [requireAuth({ scope: "read", roles: ["owner", "admin", "member"] })],
  tags,
};
const fleetDescription =
  "From the analytics rollups (docs/analytics.md), fresh within seconds of ingest; `freshness` says how current. " +
  "Ranges are whole UTC days, at most 92. Tenant-wide: not open to viewers.";

const overview = createRoute({
  ...fleet,
  method: "get",
  path: "/analytics/overview",
  summary:
    "Fleet overview: 24 h interactions, active workspaces, error rate, p95, by capability and provider",
  description: fleetDescription,
  request: { query: FleetQuery },
  responses: { 200: json(FleetOverview, "KPIs and series"), ...errors(400, 401, 403) },
});

const workspaces = createRoute({
  ...fleet,
  method: "get",
  path: "/analytics/workspaces",
  summary: "Workspaces: leaderboard, date × workspace heatmap, per-workspace totals",
  description: fleetDescription,
  request: { query: WorkspacesQuery },
  responses: { 200: json(FleetWorkspaces, "Workspaces"), ...errors(400, 401, 403) },
});

const capabilities = createRoute({
  ...fleet,
  method: "get",
  path: "/analytics/capabilities",
  summary: "Capabilities: new ones, anomalies, latency bands, outcomes, deviation per day",
  description: fleetDescription,
  request: { query: FleetQuery },
  responses: { 200: json(FleetCapabilities, "Capabilities"), ...errors(400, 401, 403) },
});

const repair = createRoute({
  method: "post",
  path: "/analytics/repair",
  tags,
  summary: "Recompute the rollups of a window of whole UTC days from the traces",
  description:
    "Queues a recomputation of every rollup in the days covering [from, to) (at most 92 days). Never needed " +
    "for correctness — the fold keeps rollups equal to a recomputation — but there for rollups that went wrong.",
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })],
  request: jsonBody(RepairRequest),
  responses: { 202: json(RepairAccepted, "Queued"), ...errors(400, 401, 403) },
});

export const analyticsRoutes = createRouter()
  .openapi(get, async (c) => {
    return c.json(await analytics(traceReader(c.var.tenant), c.req.valid("query")), 200);
  })
  .openapi(overview, async (c) => c.json(await fleetOverview(c.var.tenant, c.req.valid("query")), 200))
  .openapi(workspaces, async (c) => c.json(await fleetWorkspaces(c.var.tenant, c.req.valid("query")), 200))
  .openapi(capabilities, async (c) =>
    c.json(await fleetCapabilities(c.var.tenant, c.req.valid("query")), 200),
  )
  .openapi(repair, async (c) => {
    const body = c.req.valid("json");
    const range = dayRange(body);
    const window = repairDays(range.from, range.to);
    if (window.to > Date.now() + 86_400_000) {
      throw new ValidationError("`to` is in the future", [{ path: "to", message: "in the future" }]);
    }
    await recorder(c).commit(
      [],
      [
        {
          event_type: "analytics.repair",
          crud: "u",
          target: [{ type: "analytics_rollups", id: c.var.tenant.id, name: "analytics rollups" }],
          changes: { after: { from: isoTime(window.from), to: isoTime(window.to) } },
        },
      ],
    );
    await requestRepair(c.env, c.var.tenant.id, window.from, window.to);
    return c.json({ from: isoTime(window.from), to: isoTime(window.to), status: "queued" as const }, 202);
  });
