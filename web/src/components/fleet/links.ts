// Where each number drills to: the trace list filtered to what the number counted, or another tab.
import type { FleetFilters } from "../../api/fleet";

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, "0");

/** A time as the trace list's custom-range fields hold it (local `YYYY-MM-DDTHH:mm`). */
export function localInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export type TraceDrill = {
  from: number;
  to: number;
  capability?: string;
  workspace?: string;
  provider?: string;
  status?: "error";
};

/** The trace list over [from, to), rounded out to whole minutes so nothing counted is left out. */
export function tracesHref(d: TraceDrill): string {
  const params = new URLSearchParams({
    range: "custom",
    from: localInput(Math.floor(d.from / 60_000) * 60_000),
    to: localInput(Math.ceil(d.to / 60_000) * 60_000),
  });
  for (const key of ["capability", "workspace", "provider", "status"] as const) {
    const value = d[key];
    if (value) params.set(key, value);
  }
  return `/traces?${params}`;
}

/** One UTC day (`YYYY-MM-DD`) as a trace-list range. */
export function dayRange(day: string): { from: number; to: number } {
  const from = Date.parse(`${day}T00:00:00Z`);
  return { from, to: from + DAY };
}

/** The range a tab shows, in ms, for drill-downs over "the whole range". */
export function rangeOf(data: { from: string; to: string }): { from: number; to: number } {
  return { from: Date.parse(data.from), to: Date.parse(data.to) };
}

export type Tab = "overview" | "workspace" | "capability" | "cost";

/** An Analytics tab with the given filters (the link shape alert messages open). */
export function analyticsHref(tab: Tab, f: Partial<FleetFilters> & { inactive?: boolean } = {}): string {
  const params = new URLSearchParams({ tab });
  if (f.from && f.to) {
    params.set("from", f.from);
    params.set("to", f.to);
  } else if (f.range && f.range !== "7d") params.set("range", f.range);
  if (f.provider) params.set("provider", f.provider);
  if (f.capability) params.set("capability", f.capability);
  if (f.inactive) params.set("inactive", "true");
  return `/analytics?${params}`;
}

/** Epoch seconds of a UTC day, for the time axis. */
export const dayX = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** Every UTC day from `from` to `to`, so days without interactions still get a place on the axis. */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const days: string[] = [];
  for (let t = start - (start % DAY); t < end; t += DAY) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
