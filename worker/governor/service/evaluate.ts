import type { EvaluationInsert } from "../../db/governor";
import type { Span } from "../../traces/schemas";
import { spanActivation } from "../rules/activation";
import { type CompiledRule, compileRule } from "../rules/compile";
import type { RuleDefinition } from "../rules/parse";
import { traceContexts } from "../rules/trace-context";

export type ActiveRule = { id: string; revision: number; def: RuleDefinition; compiled: CompiledRule };

/**
 * One rule's verdict on one span, as the governor writes it (its columns and how a re-evaluation
 * merges are declared with the table, in worker/db/governor.ts). `id` is empty until the row turns
 * out to be a finding: passes are only counted, never stored.
 */
export type EvaluationRow = EvaluationInsert;

export function activeRule(row: { id: string; revision: number; definition: string }): ActiveRule {
  const def = JSON.parse(row.definition) as RuleDefinition;
  return { id: row.id, revision: row.revision, def, compiled: compileRule(def) };
}

const limitOf = (def: RuleDefinition) => (typeof def.limit === "number" ? def.limit : null);

/** Evaluates `targets` (spans of one trace) against every rule; not-applicable pairs are dropped. */
export function evaluateTrace(
  rules: ActiveRule[],
  traceSpans: Span[],
  agent: string,
  targets: Span[],
): EvaluationRow[] {
  const contexts = traceContexts(traceSpans, agent);
  const rows: EvaluationRow[] = [];
  for (const span of targets) {
    const context = contexts.get(span.id);
    if (!context) continue;
    const activation = spanActivation(span, context);
    for (const rule of rules) {
      if (!rule.compiled.appliesTo(span.type)) continue;
      const result = rule.compiled.evaluate(activation);
      if (result.outcome === "not_applicable") continue;
      rows.push({
        id: "",
        trace_id: span.trace_id,
        span_id: span.id,
        rule_id: rule.id,
        rule_revision: rule.revision,
        rule_version: rule.def.version,
        rule_name: rule.def.name,
        policy_group: rule.def.policy_group,
        severity: rule.def.severity,
        agent,
        span_type: span.type,
        span_name: span.name,
        outcome: result.outcome,
        score: finite(result.score),
        measured: finite(result.measured),
        limit_value: limitOf(rule.def),
        explanation: result.explanation,
        span_started_at: Date.parse(span.started_at),
      });
    }
  }
  return rows;
}

const finite = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);
