import type { z } from "@hono/zod-openapi";
import { query } from "@solidjs/router";
import type {
  FleetCapabilities,
  FleetOverview,
  FleetWorkspaces,
  Freshness as FreshnessSchema,
} from "../../../worker/analytics/schemas";
import { api, ok, queryOf } from "./client";

export type { FleetCapabilities, FleetOverview, FleetWorkspaces };
export type Freshness = z.output<typeof FreshnessSchema>;

const DAY = 86_400_000;

/** The preset ranges of the fleet tabs; an explicit `from`/`to` in the URL (an alert's link) wins. */
export const fleetRanges = {
  "24h": { label: "24 hours", ms: DAY },
  "7d": { label: "7 days", ms: 7 * DAY },
  "14d": { label: "14 days", ms: 14 * DAY },
  "30d": { label: "30 days", ms: 30 * DAY },
} as const;
export type FleetRangeId = keyof typeof fleetRanges;
export const isFleetRange = (v: unknown): v is FleetRangeId =>
  typeof v === "string" && Object.hasOwn(fleetRanges, v);

/** What the tabs filter on, as it lives in the URL. */
export type FleetFilters = {
  range: FleetRangeId;
  /** ISO times from a shared link; both set replace `range`. */
  from?: string;
  to?: string;
  provider?: string;
  capability?: string;
};

/** The API query for the filters; a preset range ends now, so "last 7 days" stays current. */
export function fleetQuery(f: FleetFilters, now = Date.now()): Record<string, string> {
  const explicit = f.from && f.to;
  return queryOf({
    from: explicit ? f.from : new Date(now - fleetRanges[f.range].ms).toISOString(),
    to: explicit ? f.to : undefined,
    provider: f.provider,
    capability: f.capability,
  }) as Record<string, string>;
}

export const getFleetOverview = query(
  (f: FleetFilters) => ok(api.analytics.overview.$get({ query: fleetQuery(f) })),
  "fleet-overview",
);

export const getFleetWorkspaces = query(
  (f: FleetFilters, inactive: boolean) =>
    ok(
      api.analytics.workspaces.$get({
        query: { ...fleetQuery(f), ...(inactive ? { inactive: "true" as const } : {}) },
      }),
    ),
  "fleet-workspaces",
);

export const getFleetCapabilities = query(
  (f: FleetFilters) => ok(api.analytics.capabilities.$get({ query: fleetQuery(f) })),
  "fleet-capabilities",
);

export const fleetKeys = [getFleetOverview.key, getFleetWorkspaces.key, getFleetCapabilities.key];
