import type { z } from "@hono/zod-openapi";
import { query } from "@solidjs/router";
import type { EvaluationQuery, Evaluation as EvaluationSchema } from "../../../worker/governor/schemas";
import type { SpanStatus, SpanType } from "../../../worker/ingest/schemas";
import type {
  Dag,
  DagNode,
  PayloadQuery,
  Trace,
  TraceDetail,
  TraceList,
  TraceListQuery,
  TreeSpan,
} from "../../../worker/traces/schemas";
import { api, ok, queryOf } from "./client";

export type { Dag, DagNode, Trace, TraceDetail, TreeSpan };
export type TracePage = z.output<typeof TraceList>;
export type Evaluation = z.output<typeof EvaluationSchema>;
export type SpanStatusName = z.output<typeof SpanStatus>;
export type SpanTypeName = z.output<typeof SpanType>;
export type Outcome = NonNullable<Trace["worst_outcome"]>;
export type PayloadField = z.output<typeof PayloadQuery>["field"];

/** Relative ranges are resolved when the request is sent, so "last hour" stays the last hour. */
export const timeRanges = { "1h": 3_600_000, "24h": 86_400_000, "7d": 604_800_000, "30d": 2_592_000_000 };
export type TimeRange = keyof typeof timeRanges | "custom";

/** The list filters as they live in the page URL (shareable); `range` is the page's own notion. */
export type TraceFilters = {
  q?: string;
  agent?: string;
  status?: SpanStatusName;
  range?: TimeRange;
  from?: string;
  to?: string;
  model?: string;
  has_violation?: "true" | "false";
  min_duration_ms?: string;
  /** Set by drill-downs from Analytics (trace metadata `capability`, `workspace_id`, the LLM provider). */
  capability?: string;
  workspace?: string;
  provider?: string;
};

type ListParams = Omit<z.input<typeof TraceListQuery>, "min_duration_ms" | "limit"> & {
  min_duration_ms?: string;
  limit?: string;
  capability?: string;
  workspace?: string;
  provider?: string;
};

const PAGE_SIZE = "50";

function isoOrUndefined(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The API query for a set of filters; relative ranges resolve against `now`. */
export function listParams(f: TraceFilters, cursor?: string, now = Date.now()): Record<string, string> {
  const relative = f.range && f.range !== "custom" ? timeRanges[f.range] : undefined;
  const params: ListParams = {
    q: f.q?.trim() || undefined,
    agent: f.agent || undefined,
    status: f.status,
    model: f.model?.trim() || undefined,
    has_violation: f.has_violation,
    min_duration_ms: f.min_duration_ms || undefined,
    capability: f.capability,
    workspace: f.workspace,
    provider: f.provider,
    from: relative
      ? new Date(now - relative).toISOString()
      : f.range === "custom"
        ? isoOrUndefined(f.from)
        : undefined,
    to: f.range === "custom" ? isoOrUndefined(f.to) : undefined,
    cursor,
    limit: PAGE_SIZE,
  };
  return queryOf(params) as Record<string, string>;
}

/** Not cached: the list page keeps its own rows and merges pages and live refreshes into them. */
export function fetchTraces(filters: TraceFilters, cursor?: string): Promise<TracePage> {
  return ok(api.traces.$get({ query: listParams(filters, cursor) }));
}

export const listTraces = query((filters: TraceFilters) => fetchTraces(filters), "traces");

const trace = (id: string) => ({ param: { id } });

export const getTrace = query((id: string) => ok(api.traces[":id"].$get(trace(id))), "trace");

export const getTraceDag = query((id: string) => ok(api.traces[":id"].dag.$get(trace(id))), "trace-dag");

export const listSpanEvaluations = query(async (spanId: string) => {
  const params: Pick<z.input<typeof EvaluationQuery>, "span_id"> = { span_id: spanId };
  const page = await ok(api.evaluations.$get({ query: { ...params, limit: "100" } }));
  return page.data;
}, "span-evaluations");

/** Where the whole value of a field cut to 16 KB inline can be read. */
export function payloadUrl(spanId: string, field: PayloadField): string {
  return `/api/v1/spans/${encodeURIComponent(spanId)}/payload?${new URLSearchParams({ field })}`;
}
