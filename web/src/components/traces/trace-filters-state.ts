import { type SearchParams, useSearchParams } from "@solidjs/router";
import { createMemo } from "solid-js";
import { type SpanStatusName, type TimeRange, type TraceFilters, timeRanges } from "../../api/traces";

// The URL is the only place filters live, so a view can be shared or bookmarked as it is.
type Params = Record<keyof TraceFilters, string | undefined>;

const statuses: readonly SpanStatusName[] = ["ok", "error", "unset"];
const ranges: readonly TimeRange[] = [...(Object.keys(timeRanges) as TimeRange[]), "custom"];

const pick = <T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined =>
  allowed.find((a) => a === value);

const text = (value: string | undefined, max = 200) =>
  value?.trim() ? value.trim().slice(0, max) : undefined;

/** The first of a repeated parameter: `?agent=a&agent=b` reads as `a`. */
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Only values the API accepts survive, so a hand-edited URL cannot make the list fail. */
export function readFilters(search: SearchParams): TraceFilters {
  const p: Partial<Params> = Object.fromEntries(filterKeys.map((k) => [k, one(search[k])]));
  const minDuration =
    p.min_duration_ms && /^\d{1,9}$/.test(p.min_duration_ms) ? p.min_duration_ms : undefined;
  return {
    q: text(p.q),
    agent: text(p.agent),
    status: pick(p.status, statuses),
    range: pick(p.range, ranges),
    from: p.range === "custom" ? text(p.from, 40) : undefined,
    to: p.range === "custom" ? text(p.to, 40) : undefined,
    model: text(p.model),
    has_violation: pick(p.has_violation, ["true", "false"] as const),
    min_duration_ms: minDuration,
    capability: text(p.capability),
    workspace: text(p.workspace),
    provider: text(p.provider, 100),
  };
}

export const filterKeys: readonly (keyof TraceFilters)[] = [
  "q",
  "agent",
  "status",
  "range",
  "from",
  "to",
  "model",
  "has_violation",
  "min_duration_ms",
  "capability",
  "workspace",
  "provider",
];

/** The filters only a link sets (no field of their own): shown as removable chips. */
export const chipKeys = ["capability", "workspace", "provider"] as const;

export function activeFilterCount(f: TraceFilters): number {
  return filterKeys.filter((k) => k !== "from" && k !== "to" && f[k] !== undefined).length;
}

/** The page's filters from the URL, and a setter that replaces history while typing. */
export function useTraceFilters() {
  const [params, setParams] = useSearchParams();
  const filters = createMemo(() => readFilters(params), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const update = (patch: Partial<Params>, replace = false) =>
    setParams(Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === "" ? undefined : v])), {
      replace,
    });
  const clear = () => update(Object.fromEntries(filterKeys.map((k) => [k, undefined])));
  return { filters, update, clear };
}
