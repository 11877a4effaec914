import type { SearchParams } from "@solidjs/router";
import { type FleetFilters, isFleetRange } from "../../api/fleet";
import type { Tab } from "./links";

export const tabs: readonly { id: Tab; label: string }[] = [
  { id: "overview", label: "Overview" },
  { id: "workspace", label: "Workspaces" },
  { id: "capability", label: "Capabilities" },
  { id: "cost", label: "Cost & latency" },
];

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const text = (v: string | undefined, max: number) => (v?.trim() ? v.trim().slice(0, max) : undefined);
const iso = (v: string | undefined) => {
  const ms = v ? Date.parse(v) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

export const readTab = (search: SearchParams): Tab =>
  tabs.find((t) => t.id === one(search.tab))?.id ?? "overview";

/** The fleet filters from the URL; only values the API accepts survive a hand-edited link. */
export function readFleetFilters(search: SearchParams): FleetFilters {
  const range = one(search.range);
  const from = iso(one(search.from));
  const to = iso(one(search.to));
  return {
    range: isFleetRange(range) ? range : "7d",
    ...(from && to ? { from, to } : {}),
    provider: text(one(search.provider), 100),
    capability: text(one(search.capability), 200),
  };
}

export const readInactive = (search: SearchParams) => one(search.inactive) === "true";
