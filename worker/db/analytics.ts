import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Fleet analytics rollups (worker/analytics/fold.ts keeps them). A trace's contribution is its
 * fact row; folding a changed trace takes its old fact out of every rollup and puts the new one
 * in, so rollups stay equal to a recomputation however often, late or out of order spans come.
 */

/** One row per trace: what the rollups last counted of it. */
export const analyticsFacts = sqliteTable(
  "analytics_facts",
  {
    tenantId: text("tenant_id").notNull(),
    traceId: text("trace_id").notNull(),
    startedAt: integer("started_at").notNull(),
    capability: text("capability").notNull(),
    provider: text("provider").notNull(),
    workspace: text("workspace").notNull(),
    /** 1 when the trace's status is error. */
    error: integer("error").notNull(),
    /** null while the trace is open (no end yet). */
    latencyMs: integer("latency_ms"),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    costUsd: real("cost_usd").notNull(),
    /** Characters of the prompt (the trace input, else its first LLM span's input). */
    promptChars: integer("prompt_chars"),
    /** The trace's `updated_at` when folded: a trace not written since needs no second look. */
    sourceUpdatedAt: integer("source_updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.traceId] }),
    index("analytics_facts_tenant_started_idx").on(t.tenantId, t.startedAt),
    index("analytics_facts_tenant_workspace_started_idx").on(t.tenantId, t.workspace, t.startedAt),
  ],
);

/** Columns shared by the day and hour cells: counts, sums and a latency sketch. */
const cellColumns = {
  tenantId: text("tenant_id").notNull(),
  /** UTC start of the bucket, ms. */
  bucket: integer("bucket").notNull(),
  capability: text("capability").notNull(),
  provider: text("provider").notNull(),
  interactions: integer("interactions").notNull(),
  errors: integer("errors").notNull(),
  latencyCount: integer("latency_count").notNull(),
  latencySum: integer("latency_sum").notNull(),
  /** DDSketch bins as JSON `{ index: count }` (worker/analytics/sketch.ts). */
  latencyBins: text("latency_bins").notNull(),
  inputTokens: integer("input_tokens").notNull(),
  outputTokens: integer("output_tokens").notNull(),
  costUsd: real("cost_usd").notNull(),
};

/** Per tenant × UTC day × capability × provider. */
export const analyticsDays = sqliteTable(
  "analytics_days",
  {
    ...cellColumns,
    /** Distinct workspaces with an interaction in this cell. */
    workspaces: integer("workspaces").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.bucket, t.capability, t.provider] })],
);

/** Per tenant × UTC hour × capability × provider: the rolling 24 h figures. Kept 8 days. */
export const analyticsHours = sqliteTable("analytics_hours", cellColumns, (t) => [
  primaryKey({ columns: [t.tenantId, t.bucket, t.capability, t.provider] }),
]);

/** Per tenant × UTC day × workspace. */
export const analyticsWorkspaceDays = sqliteTable(
  "analytics_workspace_days",
  {
    tenantId: text("tenant_id").notNull(),
    day: integer("day").notNull(),
    workspace: text("workspace").notNull(),
    interactions: integer("interactions").notNull(),
    errors: integer("errors").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    costUsd: real("cost_usd").notNull(),
    /** Distinct capabilities used by the workspace that day. */
    capabilities: integer("capabilities").notNull(),
    lastInteractionAt: integer("last_interaction_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.workspace] })],
);

/**
 * Interactions, errors and cost per day × workspace × capability × provider: what the distinct counts above are
 * kept from (a count reaching 0 or leaving it changes them). Rows at 0 are deleted.
 */
export const analyticsPresence = sqliteTable(
  "analytics_presence",
  {
    tenantId: text("tenant_id").notNull(),
    day: integer("day").notNull(),
    workspace: text("workspace").notNull(),
    capability: text("capability").notNull(),
    provider: text("provider").notNull(),
    interactions: integer("interactions").notNull(),
    errors: integer("errors").notNull(),
    costUsd: real("cost_usd").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.workspace, t.capability, t.provider] })],
);

/** Every capability a tenant has used, with its first sighting (the new-capability detector). */
export const analyticsCapabilities = sqliteTable(
  "analytics_capabilities",
  {
    tenantId: text("tenant_id").notNull(),
    capability: text("capability").notNull(),
    /** Start of the earliest trace seen with it. */
    firstSeenAt: integer("first_seen_at").notNull(),
    /** When the fold first saw it (a capability backfilled from history is not "new"). */
    foldedAt: integer("folded_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.capability] })],
);

/** The fold's progress per tenant: its cursor over traces (updated_at, pk) and the last run. */
export const analyticsSync = sqliteTable("analytics_sync", {
  tenantId: text("tenant_id").primaryKey(),
  cursorAt: integer("cursor_at").notNull(),
  cursorPk: integer("cursor_pk").notNull(),
  rowsFolded: integer("rows_folded").notNull(),
  lastRows: integer("last_rows").notNull(),
  lastDurationMs: real("last_duration_ms").notNull(),
  /** What D1 reported for the last run: rows read and written (the fold's own cost). */
  lastRowsRead: integer("last_rows_read").notNull().default(0),
  lastRowsWritten: integer("last_rows_written").notNull().default(0),
  lastFoldedAt: integer("last_folded_at").notNull(),
  /** Newest `updated_at` of the traces folded so far. */
  newestSourceAt: integer("newest_source_at"),
  /**
   * History arriving: when the fold last folded an interaction that started over an hour before
   * it ran, and the earliest such start since (the count-based detectors wait for it to settle).
   */
  backfillAt: integer("backfill_at"),
  backfillFrom: integer("backfill_from"),
  /** When the detectors last ran for the tenant. */
  detectedAt: integer("detected_at"),
  leaseToken: text("lease_token"),
  leaseUntil: integer("lease_until"),
});
