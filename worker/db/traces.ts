import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
    status: text("status").notNull().default("unset"),
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
    worstOutcome: text("worst_outcome"),
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
  ],
);

export const spans = sqliteTable(
  "spans",
  {
    tenantId: text("tenant_id").notNull(),
    traceId: text("trace_id").notNull(),
    id: text("id").notNull(),
    parentId: text("parent_id"),
    type: text("type").notNull(),
    name: text("name").notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    durationMs: integer("duration_ms"),
    status: text("status").notNull().default("unset"),
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
    worstOutcome: text("worst_outcome"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.traceId, t.id] }),
    index("spans_tenant_id_id_idx").on(t.tenantId, t.id),
    index("spans_tenant_id_model_idx").on(t.tenantId, t.model),
  ],
);
