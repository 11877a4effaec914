import type { SpanInsert } from "../db/traces";
import type { IngestListener, StoredBatch } from "../ingest/listeners";
import type { IngestTrace } from "../ingest/schemas";
import { isoTime } from "../lib/time";
import { toSpanSummary } from "../traces/rows";
import type { HubEvent, LiveSpan } from "./protocol";

export type { HubEvent } from "./protocol";

export function tenantHub(env: Env, tenantId: string) {
  return env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));
}

/** One RPC to the tenant's hub per call; nothing at all for no events. */
export async function publishToHub(env: Env, tenantId: string, events: HubEvent[]): Promise<void> {
  if (!events.length) return;
  await tenantHub(env, tenantId).publish(events);
}

/** For the users feature: a removed or re-roled user's open sockets are closed (they reconnect). */
export async function disconnectFromHub(env: Env, tenantId: string, userId: string): Promise<void> {
  await tenantHub(env, tenantId).disconnectUser(userId);
}

/**
 * The ingest listener (registered in worker/index.ts): each stored batch goes to the live feed.
 * Building and sending a batch's events costs more than storing it, so the hub is asked first
 * and the events are made only when someone may see them.
 */
export const publishIngested: IngestListener = async (env, stored) => {
  const hub = tenantHub(env, stored.tenant.id);
  if (await hub.offer(ingestEventCount(stored))) await hub.publish(ingestEvents(stored));
};

/** How many events ingestEvents(stored) makes, without making them. */
export function ingestEventCount(stored: Ingested): number {
  const completed = stored.batch.traces.filter((t) => t.ended_at !== undefined).length;
  return newTraceIds(stored).length + stored.spanRows.length + completed;
}

type Ingested = Omit<StoredBatch, "newSpanIds" | "newTraceIds"> & {
  newSpanIds: ReadonlySet<string>;
  newTraceIds: ReadonlySet<string>;
  /** traceId → agent for traces known only through their spans (OTLP's service.name). */
  spanAgents?: ReadonlyMap<string, string>;
};

const iso = isoTime;

/**
 * A stored ingest batch as feed events, in the order a page wants them: traces that are new,
 * then every span (created or updated), then traces that ended.
 */
export function ingestEvents(stored: Ingested): HubEvent[] {
  const route = { ownerUserId: stored.userId };
  const { traces } = stored.batch;
  const spans = stored.spanRows;
  const started = newTraces(stored).map(
    (payload): HubEvent => ({ event: "trace.started", payload, traceId: payload.id, ...route }),
  );
  const spanEvents = spans.map(
    (s): HubEvent => ({
      event: stored.newSpanIds.has(s.id) ? "span.created" : "span.updated",
      payload: liveSpan(s),
      traceId: s.trace_id,
      ...route,
    }),
  );
  const failed = new Set(spans.filter((s) => s.status === "error").map((s) => s.trace_id));
  const completed = traces.flatMap((t): HubEvent[] =>
    t.ended_at === undefined
      ? []
      : [
          {
            event: "trace.completed",
            payload: completedTrace(t, t.ended_at, failed),
            traceId: t.id,
            ...route,
          },
        ],
  );
  return [...started, ...spanEvents, ...completed];
}

/** Ids of the new traces, sent in full first, then those first seen through their spans. */
function newTraceIds(stored: Ingested): string[] {
  const sent = stored.batch.traces.filter((t) => stored.newTraceIds.has(t.id)).map((t) => t.id);
  const seen = new Set(sent);
  for (const s of stored.batch.spans) if (stored.newTraceIds.has(s.trace_id)) seen.add(s.trace_id);
  return [...seen];
}

/** New traces: those sent in full, then those first seen through their spans (placeholders). */
function newTraces(stored: Ingested) {
  const sent = stored.batch.traces.filter((t) => stored.newTraceIds.has(t.id));
  const sentIds = new Set(sent.map((t) => t.id));
  const firstSpan = new Map<string, number>();
  for (const s of stored.batch.spans) {
    if (sentIds.has(s.trace_id) || !stored.newTraceIds.has(s.trace_id)) continue;
    firstSpan.set(s.trace_id, Math.min(firstSpan.get(s.trace_id) ?? s.started_at, s.started_at));
  }
  return [
    ...sent.map((t) => ({
      id: t.id,
      agent: t.agent,
      name: t.name ?? null,
      started_at: iso(t.started_at),
      status: t.status ?? "unset",
    })),
    ...[...firstSpan].map(([id, at]) => ({
      id,
      agent: stored.spanAgents?.get(id) ?? "unknown",
      name: null,
      started_at: iso(at),
      status: "unset" as const,
    })),
  ];
}

/** What this batch said of the span, read the way the API reads a stored span. */
function liveSpan(row: SpanInsert): LiveSpan {
  const duration_ms = row.ended_at == null ? null : row.ended_at - row.started_at;
  return { ...toSpanSummary({ ...row, duration_ms }), tool_name: row.tool_name ?? null };
}

/** A trace left `unset` whose spans failed in this batch ends as `error`, as the store records it. */
function completedTrace(t: IngestTrace, endedAt: number, failed: ReadonlySet<string>) {
  const status = t.status && t.status !== "unset" ? t.status : failed.has(t.id) ? "error" : "unset";
  return {
    id: t.id,
    agent: t.agent,
    ended_at: iso(endedAt),
    duration_ms: endedAt - t.started_at,
    status,
  } as const;
}
