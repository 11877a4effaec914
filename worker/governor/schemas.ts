import { z } from "@hono/zod-openapi";
import { IsoTime } from "../lib/time";

export const Outcome = z.enum(["pass", "amber", "red", "error"]).openapi("Outcome");
export const Severity = z.enum(["low", "medium", "high", "critical"]);

export const Rule = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    version: z.string().openapi({ description: "The author's version label" }),
    revision: z
      .number()
      .int()
      .openapi({ description: "Increments on every saved edit; evaluations name it" }),
    target_span_type: z.string(),
    policy_group: z.string(),
    severity: Severity,
    enabled: z.boolean(),
    definition: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The validated rule, conditions in CEL" }),
    source: z.string().openapi({ description: "The YAML or JSON as submitted" }),
    source_format: z.enum(["yaml", "json"]),
    pack: z.string().nullable().openapi({ description: "Default pack the rule came from, if any" }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Rule");

export const RuleList = z
  .object({ data: z.array(Rule), next_cursor: z.string().nullable() })
  .openapi("RuleList");

export const RuleVersion = z
  .object({
    revision: z.number().int(),
    version: z.string(),
    definition: z.record(z.string(), z.unknown()),
    source: z.string(),
    created_by: z.string().nullable(),
    created_at: z.iso.datetime(),
  })
  .openapi("RuleVersion");

export const RuleVersionList = z
  .object({ data: z.array(RuleVersion), next_cursor: z.string().nullable() })
  .openapi("RuleVersionList");

export const RuleListQuery = z.object({
  enabled: z.enum(["true", "false"]).optional(),
  policy_group: z.string().max(100).optional(),
});

export const ToggleRuleBody = z.object({ enabled: z.boolean() }).openapi("ToggleRuleBody");

export const RuleIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const Evaluation = z
  .object({
    id: z.string(),
    rule_id: z.string(),
    rule_name: z.string(),
    rule_version: z.string(),
    rule_revision: z.number().int(),
    policy_group: z.string(),
    severity: Severity,
    scope: z.enum(["span", "trace"]).openapi({
      description:
        "`span`: the rule's verdict on this span. `trace`: a trace-level rule's one finding for the whole trace, updated as it grows; the span is the one at which the trace reached this outcome",
    }),
    trace_id: z.string(),
    span_id: z.string(),
    span_name: z.string(),
    span_type: z.string(),
    agent: z.string(),
    outcome: Outcome,
    score: z.number().nullable().openapi({ description: "(measured − baseline) / (limit − baseline)" }),
    measured: z.number().nullable(),
    limit: z.number().nullable(),
    explanation: z.string(),
    span_started_at: z.iso.datetime(),
    evaluated_at: z.iso.datetime(),
  })
  .openapi("Evaluation");

export const EvaluationList = z
  .object({ data: z.array(Evaluation), next_cursor: z.string().nullable() })
  .openapi("EvaluationList");

export const EvaluationQuery = z.object({
  outcome: z
    .string()
    .regex(
      /^(pass|amber|red|error)(,(pass|amber|red|error))*$/,
      "one or more of pass, amber, red, error, comma-separated",
    )
    .optional()
    .openapi({ example: "amber,red" }),
  rule_id: z.string().max(100).optional(),
  policy_group: z.string().max(100).optional(),
  agent: z.string().max(200).optional(),
  trace_id: z.string().max(128).optional(),
  span_id: z.string().max(128).optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

const Counts = z.object({
  pass: z.number().int(),
  amber: z.number().int(),
  red: z.number().int(),
  error: z.number().int(),
});

export const SummaryQuery = z.object({
  from: IsoTime.optional().openapi({ description: "Default: 30 days ago" }),
  to: IsoTime.optional(),
});

export const EvaluationSummary = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    totals: Counts,
    rules: z.array(
      Counts.extend({
        rule_id: z.string(),
        rule_name: z.string(),
        policy_group: z.string(),
        severity: z.string(),
      }),
    ),
    policy_groups: z.array(Counts.extend({ policy_group: z.string() })),
    trend: z.array(Counts.extend({ day: z.string().openapi({ example: "2026-11-23" }) })),
  })
  .openapi("EvaluationSummary");

export const DryRunBody = z
  .object({
    rule: z.union([z.string().min(1).max(20_000), z.record(z.string(), z.unknown())]).openapi({
      description: "The draft rule: YAML text, or a JSON object",
    }),
    limit: z
      .number()
      .int()
      .min(0)
      .max(5000)
      .default(500)
      .openapi({ description: "How many recent spans to test; 0 only validates the rule" }),
  })
  .openapi("DryRunBody");

export const DryRunResult = z
  .object({
    rule: z.record(z.string(), z.unknown()),
    spans_checked: z.number().int(),
    counts: Counts.extend({ not_applicable: z.number().int() }),
    matches: z.array(
      z.object({
        trace_id: z.string(),
        span_id: z.string(),
        span_name: z.string(),
        outcome: Outcome,
        score: z.number().nullable(),
        measured: z.number().nullable(),
        explanation: z.string(),
      }),
    ),
  })
  .openapi("DryRunResult");

export const DeadLetter = z
  .object({
    id: z.string(),
    message_id: z.string(),
    body: z.unknown(),
    attempts: z.number().int(),
    created_at: z.iso.datetime(),
  })
  .openapi("DeadLetter");
export const DeadLetterList = z
  .object({ data: z.array(DeadLetter), next_cursor: z.string().nullable() })
  .openapi("DeadLetterList");

export type Rule = z.output<typeof Rule>;
export type Evaluation = z.output<typeof Evaluation>;
export type EvaluationQuery = z.output<typeof EvaluationQuery>;
export type EvaluationSummary = z.output<typeof EvaluationSummary>;
export type DryRunResult = z.output<typeof DryRunResult>;
