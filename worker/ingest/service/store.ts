// bench/raw-sqlite.mjs runs these same statements on node:sqlite for its baseline.
import { seenAgents } from "../../agents/store";
import {
  chunkRows,
  fromJson,
  fromPosition,
  mergeAssignments,
  positional,
  sentColumns,
  withJsonRows,
} from "../../db/rows";
import { SPAN_COLUMNS, TRACE_COLUMNS } from "../../db/traces";
import type { NormalizedBatch, Placeholder } from "./normalize";

// Traces and spans go as positional rows (arrays in these columns' order); placeholders, few, by name.
const TRACE_SENT = sentColumns(TRACE_COLUMNS);
const traceField = fromPosition(TRACE_SENT);
const duration = (field: (c: string) => string) => `${field("ended_at")} - ${field("started_at")}`;

export const UPSERT_TRACES = `
${withJsonRows("?5")}
INSERT INTO traces (tenant_id, ${TRACE_SENT.join(", ")}, duration_ms, placeholder, api_key_id,
  created_by_user_id, created_at, updated_at)
SELECT ?1, ${TRACE_SENT.map(traceField).join(", ")}, ${duration(traceField)}, 0, ?2, ?3, ?4, ?4
FROM json_rows WHERE true
ON CONFLICT (tenant_id, id) DO UPDATE SET
  ${mergeAssignments("traces", TRACE_COLUMNS)},
  duration_ms = coalesce(coalesce(excluded.ended_at, traces.ended_at) - excluded.started_at,
    traces.started_at + traces.duration_ms - excluded.started_at),
  placeholder = 0,
  api_key_id = coalesce(traces.api_key_id, excluded.api_key_id),
  created_by_user_id = coalesce(traces.created_by_user_id, excluded.created_by_user_id),
  updated_at = excluded.updated_at
RETURNING id, created_at = updated_at AS is_new`;

const PLACEHOLDER_SENT = ["id", "agent", "started_at"] satisfies (keyof Placeholder)[];

export const INSERT_PLACEHOLDERS = `
${withJsonRows("?5")}
INSERT INTO traces (tenant_id, id, agent, started_at, status, placeholder, api_key_id, created_by_user_id,
  created_at, updated_at)
SELECT ?1, ${PLACEHOLDER_SENT.map(fromJson).join(", ")}, 'unset', 1, ?2, ?3, ?4, ?4
FROM json_rows WHERE true
ON CONFLICT (tenant_id, id) DO NOTHING
RETURNING id, 1 AS is_new`;

const SPAN_SENT = sentColumns(SPAN_COLUMNS);
const spanField = fromPosition(SPAN_SENT);

export const UPSERT_SPANS = `
${withJsonRows("?3")}
INSERT INTO spans (tenant_id, ${SPAN_SENT.join(", ")}, duration_ms, created_at, updated_at)
SELECT ?1, ${SPAN_SENT.map(spanField).join(", ")}, ${duration(spanField)}, ?2, ?2
FROM json_rows WHERE true
ON CONFLICT (tenant_id, trace_id, id) DO UPDATE SET
  ${mergeAssignments("spans", SPAN_COLUMNS)},
  duration_ms = coalesce(excluded.ended_at, spans.ended_at) - excluded.started_at,
  updated_at = excluded.updated_at
RETURNING id, created_at = updated_at AS is_new`;

/**
 * Recomputes the per-trace totals of the traces a batch touched. Placeholder traces (spans seen,
 * trace object not yet) take their time range from their spans. A trace sent without `ended_at`
 * keeps it null but takes its duration from its spans once every span has ended (null while one is
 * open): the API reads its end as started_at + duration_ms, and an `ended_at` sent later wins (so
 * does a re-sent trace without one: UPSERT_TRACES keeps that end). The repeated `id IN (…)` on
 * traces is for the planner: without it SQLite walks every trace of the tenant and joins the aggregate.
 * `updated_at` moves so the analytics fold (worker/analytics/fold.ts) sees the new totals.
 */
export const REFRESH_TRACES = `
UPDATE traces SET
  span_count = a.n, error_count = a.errors, input_tokens = a.input_tokens, output_tokens = a.output_tokens,
  cost_usd = a.cost, models = a.models,
  started_at = CASE WHEN traces.placeholder = 1 THEN a.first_start ELSE traces.started_at END,
  ended_at = CASE WHEN traces.placeholder = 1 THEN a.last_end ELSE traces.ended_at END,
  duration_ms = CASE WHEN traces.placeholder = 1 THEN a.last_end - a.first_start
    WHEN traces.ended_at IS NULL THEN CASE WHEN a.open = 0 THEN a.last_end - traces.started_at END
    ELSE traces.duration_ms END,
  status = CASE WHEN traces.status = 'unset' AND a.errors > 0 THEN 'error' ELSE traces.status END,
  updated_at = ?3
FROM (
  SELECT trace_id, count(*) AS n, sum(status = 'error') AS errors,
    coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
    coalesce(sum(cost_usd), 0) AS cost, group_concat(DISTINCT model) AS models,
    min(started_at) AS first_start, max(ended_at) AS last_end, sum(ended_at IS NULL) AS open
  FROM spans WHERE tenant_id = ?1 AND trace_id IN (SELECT value FROM json_each(?2))
  GROUP BY trace_id
) AS a
WHERE traces.tenant_id = ?1 AND traces.id IN (SELECT value FROM json_each(?2)) AND traces.id = a.trace_id`;

export type Sender = { tenantId: string; apiKeyId: string | null; userId: string };

/** Ids that did not exist before this batch (the live feed tells "created" from "updated"). */
export type StoreOutcome = { newTraceIds: Set<string>; newSpanIds: Set<string> };

type Returned = { id: string; is_new: number };

function collectNew(results: D1Result<Returned>[], kinds: ("trace" | "span" | "other")[]): StoreOutcome {
  const outcome: StoreOutcome = { newTraceIds: new Set(), newSpanIds: new Set() };
  results.forEach((result, i) => {
    const target =
      kinds[i] === "trace" ? outcome.newTraceIds : kinds[i] === "span" ? outcome.newSpanIds : null;
    if (!target) return;
    for (const row of result.results) if (row.is_new) target.add(row.id);
  });
  return outcome;
}

/** The JSON text bound to each statement of one batch (bench/ingest-cpu.mjs times building it). */
export type StoreParams = {
  traces: string[];
  placeholders: string | null;
  spans: string[];
  traceIds: string;
};

export function storeParams(batch: NormalizedBatch): StoreParams {
  return {
    traces: chunkRows(positional(batch.traces, TRACE_SENT)),
    placeholders: batch.placeholders.length ? JSON.stringify(batch.placeholders) : null,
    spans: chunkRows(positional(batch.spans, SPAN_SENT)),
    traceIds: JSON.stringify(batch.traceIds),
  };
}

/** What D1 reports it spent on a batch: SQL time inside the database and rows read and written. */
export type SqlCost = { duration_ms: number; rows_read: number; rows_written: number };

function sqlCost(results: D1Result[]): SqlCost {
  const cost: SqlCost = { duration_ms: 0, rows_read: 0, rows_written: 0 };
  for (const { meta } of results) {
    cost.duration_ms += meta.duration ?? 0;
    cost.rows_read += meta.rows_read ?? 0;
    cost.rows_written += meta.rows_written ?? 0;
  }
  return cost;
}

/** Writes a normalized batch in one D1 batch (one transaction): all of it or none of it. */
export async function storeBatch(
  db: D1Database,
  sender: Sender,
  batch: NormalizedBatch,
): Promise<StoreOutcome & { sql: SqlCost }> {
  const now = Date.now();
  const { tenantId, apiKeyId, userId } = sender;
  const params = storeParams(batch);
  const statements: D1PreparedStatement[] = [];
  const kinds: ("trace" | "span" | "other")[] = [];
  const add = (kind: (typeof kinds)[number], statement: D1PreparedStatement) => {
    statements.push(statement);
    kinds.push(kind);
  };
  const agents = seenAgents(db, tenantId, now, batch.agents);
  if (agents) add("other", agents);
  for (const chunk of params.traces) {
    add("trace", db.prepare(UPSERT_TRACES).bind(tenantId, apiKeyId, userId, now, chunk));
  }
  if (params.placeholders) {
    add("trace", db.prepare(INSERT_PLACEHOLDERS).bind(tenantId, apiKeyId, userId, now, params.placeholders));
  }
  for (const chunk of params.spans) {
    add("span", db.prepare(UPSERT_SPANS).bind(tenantId, now, chunk));
  }
  if (batch.spans.length) {
    add("other", db.prepare(REFRESH_TRACES).bind(tenantId, params.traceIds, now));
  }
  // Every statement that returns rows returns `Returned`.
  const results = await db.batch<Returned>(statements);
  return { ...collectNew(results, kinds), sql: sqlCost(results) };
}
