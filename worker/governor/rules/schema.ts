import { z } from "@hono/zod-openapi";

/** Longest CEL expression a rule may hold, in characters. */
export const MAX_EXPRESSION_LENGTH = 2_000;
/** Most rules one pack may hold. */
export const MAX_RULES_PER_PACK = 200;
/** Largest rule or pack source accepted, in characters. */
export const MAX_SOURCE_LENGTH = 256_000;

export const TargetSpanType = z
  .enum(["tool", "llm", "chain", "agent", "retriever", "embedding", "guardrail", "other", "all"])
  .openapi("RuleTargetSpanType");
export const RuleOp = z.enum([">", ">=", "<", "<="]).openapi("RuleOp");
export const RuleSeverity = z.enum(["low", "medium", "high", "critical"]).openapi("RuleSeverity");

const Name = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, "must be snake_case: a-z, 0-9 and _, starting with a letter, at most 64");
const Expression = z
  .string()
  .max(MAX_EXPRESSION_LENGTH, `expression longer than ${MAX_EXPRESSION_LENGTH} characters`)
  .refine((s) => s.trim().length > 0, "must not be empty");
const Finite = z.number().refine(Number.isFinite, "must be a finite number");

/** What a rule author may write (YAML or JSON); `parseRule` turns it into a RuleDefinition. */
export const RuleInput = z
  .strictObject({
    name: Name,
    description: z.string().max(1_000).optional(),
    version: z
      .union([z.string().min(1).max(32), z.number()])
      .transform(String)
      .optional(),
    target_span_type: TargetSpanType.optional(),
    when: Expression.optional(),
    measure: Expression.optional(),
    limit: Finite.optional(),
    op: RuleOp.optional(),
    baseline: Finite.optional(),
    threshold_amber: Finite.optional(),
    threshold_red: Finite.optional(),
    condition: Expression.optional(),
    warn_condition: Expression.optional(),
    python_condition: Expression.optional(),
    policy_group: Name.optional(),
    severity: RuleSeverity.optional(),
    enabled: z.boolean().optional(),
  })
  .openapi("RuleInput");

export const RuleDefinition = z
  .strictObject({
    name: Name,
    description: z.string(),
    version: z.string(),
    target_span_type: TargetSpanType,
    when: z.string().optional().openapi({ description: "CEL guard; false ⇒ not_applicable" }),
    measure: z.string().optional().openapi({ description: "CEL, a number compared with `limit`" }),
    limit: z.number().optional(),
    op: RuleOp.optional(),
    baseline: z.number().optional().openapi({ description: "The safe end of the scale; score 0" }),
    threshold_amber: z.number().optional(),
    threshold_red: z.number().optional(),
    condition: z.string().optional().openapi({ description: "CEL, boolean: red when true" }),
    warn_condition: z.string().optional().openapi({ description: "CEL, boolean: amber when true" }),
    policy_group: z.string(),
    severity: RuleSeverity,
    enabled: z.boolean(),
  })
  .openapi("RuleDefinition");

export const RulePackInput = z.strictObject({
  rules: z.array(z.unknown()).min(1, "a pack needs at least one rule").max(MAX_RULES_PER_PACK),
});

export type TargetSpanType = z.output<typeof TargetSpanType>;
export type RuleOp = z.output<typeof RuleOp>;
export type RuleSeverity = z.output<typeof RuleSeverity>;
export type RuleInput = z.output<typeof RuleInput>;
export type RuleDefinition = z.output<typeof RuleDefinition>;

export const RULE_DEFAULTS = {
  version: "1",
  target_span_type: "all",
  op: ">",
  baseline: 0,
  threshold_amber: 0.8,
  threshold_red: 1,
  policy_group: "general",
  severity: "medium",
  enabled: true,
} as const;
