import { useSearchParams } from "@solidjs/router";
import { createMemo } from "solid-js";
import { type AuditQuery, type AuditSource, outcomes, riskLevels } from "../../api/audit";

// The URL is the only place filters live, so a view (and the open event) can be shared as it is.
export const ranges = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };
export type RangeKey = keyof typeof ranges | "custom";
export const rangeLabels: Record<RangeKey, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  custom: "Custom",
};

const textKeys = [
  "q",
  "event_type",
  "actor",
  "user",
  "tool_name",
  "conversation_id",
  "target",
  "from",
  "to",
] as const;
type TextKey = (typeof textKeys)[number];

export type AuditFilterState = Partial<Record<TextKey, string>> & {
  range?: RangeKey;
  chat: boolean;
  outcome?: (typeof outcomes)[number];
  risk?: (typeof riskLevels)[number];
  field: string[];
};

type Params = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: string | string[] | undefined, max = 200) => one(v)?.trim().slice(0, max) || undefined;
const pick = <T extends string>(v: string | string[] | undefined, allowed: readonly T[]) =>
  allowed.find((a) => a === one(v));

const isRange = (v: string | undefined): v is RangeKey => v === "custom" || (!!v && Object.hasOwn(ranges, v));

/** Only values the API accepts survive, so a hand-edited URL cannot make the list fail. */
export function readFilters(p: Params): AuditFilterState {
  const state: AuditFilterState = {
    chat: one(p.actor_type) === "ai_assistant",
    outcome: pick(p.outcome, outcomes),
    risk: pick(p.risk, riskLevels),
    field: many(p.field)
      .map((f) => f.trim())
      .filter(Boolean)
      .slice(0, 10),
  };
  for (const key of textKeys) state[key] = text(p[key]);
  const range = one(p.range);
  state.range = isRange(range) ? range : undefined;
  if (state.range !== "custom") {
    state.from = undefined;
    state.to = undefined;
  }
  return state;
}

const isoOrUndefined = (v: string | undefined) => {
  const ms = v ? Date.parse(v) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

/** The API query for the filters; a preset range is resolved against `now`. */
export function toQuery(f: AuditFilterState, now: number): AuditQuery {
  const preset = f.range && f.range !== "custom" ? ranges[f.range] : undefined;
  return {
    q: f.q,
    event_type: f.event_type,
    actor: f.actor,
    actor_type: f.chat ? "ai_assistant" : undefined,
    user: f.user,
    tool_name: f.tool_name,
    conversation_id: f.conversation_id,
    target: f.target,
    outcome: f.outcome,
    risk: f.risk,
    field: f.field.length ? f.field : undefined,
    from: preset ? new Date(now - preset).toISOString() : isoOrUndefined(f.from),
    to: preset ? undefined : isoOrUndefined(f.to),
  };
}

/** How many filters narrow the list (the time range counts once). */
export function activeCount(f: AuditFilterState): number {
  const simple = [
    f.q,
    f.event_type,
    f.actor,
    f.user,
    f.tool_name,
    f.conversation_id,
    f.target,
    f.outcome,
    f.risk,
  ];
  return simple.filter((v) => v !== undefined).length + (f.chat ? 1 : 0) + f.field.length + (f.range ? 1 : 0);
}

export const filterParamKeys = [...textKeys, "range", "actor_type", "outcome", "risk", "field"] as const;

export type FilterPatch = Partial<
  Record<(typeof filterParamKeys)[number] | "event" | "source", string | string[] | undefined>
>;

/** Which store the list reads: the live log, or days moved to the archive by retention. */
export const readSource = (p: Params): AuditSource => (one(p.source) === "archive" ? "archive" : "log");

/** The page's filters from the URL, and a setter (typing replaces history instead of adding to it). */
export function useAuditFilters() {
  const [params, setParams] = useSearchParams<Params>();
  const filters = createMemo(() => readFilters(params), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const update = (patch: FilterPatch, replace = false) =>
    setParams(
      Object.fromEntries(
        Object.entries(patch).map(([k, v]) => [
          k,
          v === "" || (Array.isArray(v) && !v.length) ? undefined : v,
        ]),
      ),
      { replace },
    );
  const clear = () => update(Object.fromEntries(filterParamKeys.map((k) => [k, undefined])));
  const openEvent = () => one(params.event);
  const source = () => readSource(params);
  return { filters, update, clear, openEvent, source };
}
