import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Span } from "../traces/schemas";
import type { ColumnRules, JsonRow, Sparse, SqlRow } from "./rows";

// Types only: the values ingest validated (and the governor's outcomes), read back without casts.
type SpanType = Span["type"];
type SpanStatus = Span["status"];
type WorstOutcome = NonNullable<Span["worst_outcome"]>;

export const agents = sqliteTable(
  "agents",
  {
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);

export const traces = sqliteTable(
  "traces",
  {
    /** Stable rowid for traces_fts, the external-content FTS5 index over this table. */
    pk: integer("pk").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    agent: text("agent").notNull(),
    name: text("name"),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    durationMs: integer("duration_ms"),
    status: text("status").$type<SpanStatus>().notNull().default("unset"),
    input: text("input"),
    output: text("output"),
    userId: text("user_id"),
    sessionId: text("session_id"),
    metadata: text("metadata"),
    tags: text("tags"),
    /** 1 until the client has sent the trace object itself (spans may arrive first). */
    placeholder: integer("placeholder").notNull().default(0),
    apiKeyId: text("api_key_id"),
    createdByUserId: text("created_by_user_id"),
    spanCount: integer("span_count").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    models: text("models"),
    /** Worst governor outcome over the trace's spans: pass | amber | red (null: not evaluated). */
    worstOutcome: text("worst_outcome").$type<WorstOutcome>(),
    /** JSON list of fields cut to the inline limit; their whole value is in R2 under payloadRef. */
    truncatedFields: text("truncated_fields"),
    payloadRef: text("payload_ref"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("traces_tenant_id_id_idx").on(t.tenantId, t.id),
    index("traces_tenant_id_started_at_idx").on(t.tenantId, t.startedAt),
    index("traces_tenant_id_agent_started_at_idx").on(t.tenantId, t.agent, t.startedAt),
    index("traces_tenant_id_status_started_at_idx").on(t.tenantId, t.status, t.startedAt),
    index("traces_tenant_id_worst_outcome_started_at_idx").on(t.tenantId, t.worstOutcome, t.startedAt),
    // The analytics fold's cursor: traces changed since it last ran (the rowid `pk` breaks ties).
    index("traces_tenant_id_updated_at_idx").on(t.tenantId, t.updatedAt),
  ],
);

export const spans = sqliteTable(
  "spans",
  {
    tenantId: text("tenant_id").notNull(),
    traceId: text("trace_id").notNull(),
    id: text("id").notNull(),
    parentId: text("parent_id"),
    type: text("type").$type<SpanType>().notNull(),
    name: text("name").notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    durationMs: integer("duration_ms"),
    status: text("status").$type<SpanStatus>().notNull().default("unset"),
    errorType: text("error_type"),
    errorMessage: text("error_message"),
    input: text("input"),
    output: text("output"),
    model: text("model"),
    provider: text("provider"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    costUsd: real("cost_usd"),
    toolName: text("tool_name"),
    toolArguments: text("tool_arguments"),
    toolResult: text("tool_result"),
    attributes: text("attributes"),
    /** JSON list of fields cut to the inline limit; their whole value is in R2 under payloadRef. */
    truncatedFields: text("truncated_fields"),
    payloadRef: text("payload_ref"),
    worstOutcome: text("worst_outcome").$type<WorstOutcome>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.traceId, t.id] }),
    index("spans_tenant_id_id_idx").on(t.tenantId, t.id),
    // No index on model: D1 bills every index entry as a row written (one more per span), and
    // the model filter on traces is cheaper through the primary key (a trace's spans) anyway.
  ],
);

/**
 * How ingest writes each trace column (see worker/db/rows.ts). A trace sent again replaces what
 * it names and keeps what it leaves out; the counters are recomputed from the spans.
 */
export const TRACE_COLUMNS = {
  pk: null,
  tenant_id: null,
  id: "keep",
  agent: "replace",
  name: "coalesce",
  started_at: "replace",
  ended_at: "coalesce",
  duration_ms: null,
  status: "unless_unset",
  input: "coalesce",
  output: "coalesce",
  user_id: "coalesce",
  session_id: "coalesce",
  metadata: "coalesce",
  tags: "coalesce",
  placeholder: null,
  api_key_id: null,
  created_by_user_id: null,
  span_count: null,
  error_count: null,
  input_tokens: null,
  output_tokens: null,
  cost_usd: null,
  models: null,
  worst_outcome: null,
  truncated_fields: "coalesce",
  payload_ref: "coalesce",
  created_at: null,
  updated_at: null,
} as const satisfies ColumnRules<typeof traces>;

/**
 * How ingest writes each span column (see worker/db/rows.ts); `worst_outcome` is the governor's.
 * To add a span field: add the column above and its rule here, then follow the compiler (the
 * row `normalize.ts` builds, and `toSpan` if the API shows it).
 */
export const SPAN_COLUMNS = {
  tenant_id: null,
  trace_id: "keep",
  id: "keep",
  parent_id: "coalesce",
  type: "replace",
  name: "replace",
  started_at: "replace",
  ended_at: "coalesce",
  duration_ms: null,
  status: "unless_unset",
  error_type: "coalesce",
  error_message: "coalesce",
  input: "coalesce",
  output: "coalesce",
  model: "coalesce",
  provider: "coalesce",
  input_tokens: "coalesce",
  output_tokens: "coalesce",
  cost_usd: "coalesce",
  tool_name: "coalesce",
  tool_arguments: "coalesce",
  tool_result: "coalesce",
  attributes: "json_patch",
  truncated_fields: "coalesce",
  payload_ref: "coalesce",
  worst_outcome: null,
  created_at: null,
  updated_at: null,
} as const satisfies ColumnRules<typeof spans>;

/** Stored rows as raw SQL returns them, and the JSON rows ingest writes them from. */
export type TraceRow = SqlRow<typeof traces>;
export type SpanRow = SqlRow<typeof spans>;
export type TraceInsert = Sparse<JsonRow<typeof traces, typeof TRACE_COLUMNS>>;
export type SpanInsert = Sparse<JsonRow<typeof spans, typeof SPAN_COLUMNS>>;
