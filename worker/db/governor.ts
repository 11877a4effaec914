import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Evaluation } from "../governor/schemas";
import type { ColumnRules, JsonRow } from "./rows";

export const rules = sqliteTable(
  "rules",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    /** The author's version label ("1.1"); `revision` counts every saved edit. */
    version: text("version").notNull(),
    revision: integer("revision").notNull(),
    targetSpanType: text("target_span_type").notNull(),
    policyGroup: text("policy_group").notNull(),
    severity: text("severity").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    /** Canonical JSON of the validated rule (CEL form); what the governor compiles. */
    definition: text("definition").notNull(),
    source: text("source").notNull(),
    sourceFormat: text("source_format").notNull(),
    pack: text("pack"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("rules_tenant_id_name_idx").on(t.tenantId, t.name),
    index("rules_tenant_id_enabled_idx").on(t.tenantId, t.enabled),
  ],
);

export const ruleVersions = sqliteTable(
  "rule_versions",
  {
    tenantId: text("tenant_id").notNull(),
    ruleId: text("rule_id").notNull(),
    revision: integer("revision").notNull(),
    version: text("version").notNull(),
    definition: text("definition").notNull(),
    source: text("source").notNull(),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.ruleId, t.revision] })],
);

export const constitutionalEvaluations = sqliteTable(
  "constitutional_evaluations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    /**
     * 'span': a per-span rule's verdict on the span. 'trace': a trace-level rule's one finding for
     * the whole trace (worker/governor/rules/scope.ts); its span is the one at which the trace
     * reached the current outcome.
     */
    scope: text("scope").$type<"span" | "trace">().notNull().default("span"),
    traceId: text("trace_id").notNull(),
    spanId: text("span_id").notNull(),
    ruleId: text("rule_id").notNull(),
    ruleRevision: integer("rule_revision").notNull(),
    ruleVersion: text("rule_version").notNull(),
    ruleName: text("rule_name").notNull(),
    policyGroup: text("policy_group").notNull(),
    severity: text("severity").$type<Evaluation["severity"]>().notNull(),
    agent: text("agent").notNull(),
    spanType: text("span_type").notNull(),
    spanName: text("span_name").notNull(),
    outcome: text("outcome").$type<Evaluation["outcome"]>().notNull(),
    score: real("score"),
    measured: real("measured"),
    limitValue: real("limit_value"),
    explanation: text("explanation").notNull(),
    spanStartedAt: integer("span_started_at").notNull(),
    evaluatedAt: integer("evaluated_at").notNull(),
  },
  (t) => [
    // The natural keys: redelivery and re-evaluation update one row, never add another. Span
    // findings are one per span × rule revision, trace findings one per trace × rule revision.
    // The span key is a whole index (scope last, so a trace finding on the same span is another
    // row), because reads by trace (tenant_id, trace_id, …) need one: a partial index serves only
    // queries that name its scope, and without it every message scanned the tenant's findings.
    uniqueIndex("constitutional_evaluations_natural_idx").on(
      t.tenantId,
      t.traceId,
      t.spanId,
      t.ruleId,
      t.ruleRevision,
      t.scope,
    ),
    uniqueIndex("constitutional_evaluations_trace_natural_idx")
      .on(t.tenantId, t.traceId, t.ruleId, t.ruleRevision)
      .where(sql`scope = 'trace'`),
    index("constitutional_evaluations_tenant_id_evaluated_at_idx").on(t.tenantId, t.evaluatedAt),
    index("constitutional_evaluations_tenant_id_outcome_evaluated_at_idx").on(
      t.tenantId,
      t.outcome,
      t.evaluatedAt,
    ),
    index("constitutional_evaluations_tenant_id_rule_id_evaluated_at_idx").on(
      t.tenantId,
      t.ruleId,
      t.evaluatedAt,
    ),
    index("constitutional_evaluations_tenant_id_span_started_at_idx").on(t.tenantId, t.spanStartedAt),
  ],
);

export const governorDeadLetters = sqliteTable(
  "governor_dead_letters",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    messageId: text("message_id").notNull(),
    body: text("body").notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("governor_dead_letters_message_id_idx").on(t.messageId),
    index("governor_dead_letters_tenant_id_created_at_idx").on(t.tenantId, t.createdAt),
  ],
);

/**
 * Evaluations per day × rule × outcome. Findings (amber, red, error) are also stored one row each;
 * passes only here, so the governor writes a handful of rows per batch instead of one per span × rule.
 */
export const evaluationCounts = sqliteTable(
  "evaluation_counts",
  {
    tenantId: text("tenant_id").notNull(),
    day: text("day").notNull(),
    ruleId: text("rule_id").notNull(),
    outcome: text("outcome").notNull(),
    ruleName: text("rule_name").notNull(),
    policyGroup: text("policy_group").notNull(),
    severity: text("severity").$type<Evaluation["severity"]>().notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.ruleId, t.outcome] })],
);

/** Queue messages already evaluated: a redelivery is acknowledged without counting twice. */
export const governorProcessed = sqliteTable(
  "governor_processed",
  {
    messageId: text("message_id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    processedAt: integer("processed_at").notNull(),
  },
  (t) => [index("governor_processed_processed_at_idx").on(t.processedAt)],
);

/**
 * How the governor writes a finding (see worker/db/rows.ts). A re-evaluation of the same span ×
 * rule revision updates the verdict and what it names of the span; `evaluated_at` moves only when
 * the outcome changes. Trace findings follow TRACE_FINDING_SPAN for the span they name.
 */
export const EVALUATION_COLUMNS = {
  id: "keep",
  tenant_id: null,
  scope: "keep",
  trace_id: "keep",
  span_id: "keep",
  rule_id: "keep",
  rule_revision: "keep",
  rule_version: "keep",
  rule_name: "keep",
  policy_group: "keep",
  severity: "keep",
  agent: "replace",
  span_type: "keep",
  span_name: "replace",
  outcome: "replace",
  score: "replace",
  measured: "replace",
  limit_value: "keep",
  explanation: "replace",
  span_started_at: "keep",
  evaluated_at: null,
} as const satisfies ColumnRules<typeof constitutionalEvaluations>;

/**
 * A trace finding names the span at which the trace reached its outcome: these columns move to
 * the new span when the outcome changes and stay put while the trace grows at the same outcome
 * (the upsert writes them with a CASE; EVALUATION_COLUMNS's rule for them applies to span findings).
 */
export const TRACE_FINDING_SPAN = ["span_id", "span_type", "span_name", "span_started_at"] as const;

/** Counts add up; the rule's labels follow its latest revision. */
export const EVALUATION_COUNT_COLUMNS = {
  tenant_id: null,
  day: "keep",
  rule_id: "keep",
  outcome: "keep",
  rule_name: "replace",
  policy_group: "replace",
  severity: "replace",
  count: "add",
} as const satisfies ColumnRules<typeof evaluationCounts>;

export type EvaluationInsert = JsonRow<typeof constitutionalEvaluations, typeof EVALUATION_COLUMNS>;
export type EvaluationCountInsert = JsonRow<typeof evaluationCounts, typeof EVALUATION_COUNT_COLUMNS>;
