import type { EvaluationInsert } from "../../db/governor";
import type { Span } from "../../traces/schemas";
import { spanActivation, traceActivation } from "../rules/activation";
import { type CompiledRule, compileRule, type Evaluation, type Outcome } from "../rules/compile";
import type { RuleDefinition } from "../rules/parse";
import { type TraceTimeline, traceTimeline } from "../rules/trace-context";

export type ActiveRule = { id: string; revision: number; def: RuleDefinition; compiled: CompiledRule };

/**
 * One rule's verdict on one span, or for a trace-level rule on the whole trace (`scope` 'trace',
 * naming the span at which the trace reached the outcome), as the governor writes it (its columns
 * and how a re-evaluation merges are declared with the table, in worker/db/governor.ts). `id` is
 * empty until the row turns out to be a finding: passes are only counted, never stored.
 */
export type EvaluationRow = EvaluationInsert;

export function activeRule(row: { id: string; revision: number; definition: string }): ActiveRule {
  const def = JSON.parse(row.definition) as RuleDefinition;
  return { id: row.id, revision: row.revision, def, compiled: compileRule(def) };
}

const limitOf = (def: RuleDefinition) => (typeof def.limit === "number" ? def.limit : null);
const finite = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);

type Verdict = Evaluation & { outcome: EvaluationRow["outcome"] };
const applies = (e: Evaluation): e is Verdict => e.outcome !== "not_applicable";

function rowOf(rule: ActiveRule, span: Span, started: number, agent: string, result: Verdict): EvaluationRow {
  return {
    id: "",
    scope: rule.compiled.scope,
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
    span_started_at: started,
  };
}

/** Per-span rules by the span type they apply to, so each span meets only its own rules. */
function rulesByType(rules: ActiveRule[], types: Iterable<string>): Map<string, ActiveRule[]> {
  return new Map([...types].map((type) => [type, rules.filter((r) => r.compiled.appliesTo(type))]));
}

const RANK: Record<Outcome, number> = { not_applicable: 0, pass: 0, amber: 1, red: 2, error: 0 };

/**
 * The span at which the trace first reached `outcome`: bisects the trace in start order (its
 * measures grow with it), so a crossing costs O(log n) evaluations. Deterministic whatever the
 * batching, so a redelivery names the same span.
 */
function crossingSpan(rule: ActiveRule, timeline: TraceTimeline, outcome: Outcome): number {
  const wanted = RANK[outcome];
  let lo = -1;
  let hi = timeline.spans.length - 1; // the whole trace: reaches `outcome` by construction
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const at = rule.compiled.evaluate(traceActivation(timeline.contexts[mid])).outcome;
    if (RANK[at] >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Trace-level rules, once each for the trace: only when this message brought a span of its type. */
function evaluateWholeTrace(
  rules: ActiveRule[],
  timeline: TraceTimeline,
  agent: string,
  targets: number[],
): EvaluationRow[] {
  const rows: EvaluationRow[] = [];
  const whole = timeline.contexts.at(-1);
  if (!whole) return rows;
  const activation = traceActivation(whole);
  for (const rule of rules) {
    let latest = -1; // targets are timeline indexes, so the latest started is the largest
    for (const i of targets) if (i > latest && rule.compiled.appliesTo(timeline.spans[i].type)) latest = i;
    if (latest < 0) continue;
    const result = rule.compiled.evaluate(activation);
    if (!applies(result)) continue;
    const at = RANK[result.outcome] > 0 ? crossingSpan(rule, timeline, result.outcome) : latest;
    rows.push(rowOf(rule, timeline.spans[at], timeline.starts[at], agent, result));
  }
  return rows;
}

/**
 * Evaluates `targets` (spans of one trace, new in this message) against every rule; not-applicable
 * pairs are dropped. Per-span rules give a row per target span; trace-level rules one row for the
 * trace, evaluated on the whole trace so far.
 */
export function evaluateTrace(
  rules: ActiveRule[],
  traceSpans: Span[],
  agent: string,
  targets: Span[],
): EvaluationRow[] {
  const timeline = traceTimeline(traceSpans, agent);
  const index = new Map(timeline.spans.map((s, i) => [s.id, i]));
  const perSpan = rulesByType(
    rules.filter((r) => r.compiled.scope === "span"),
    new Set(targets.map((s) => s.type)),
  );
  const rows: EvaluationRow[] = [];
  const wanted: number[] = [];
  for (const span of targets) {
    const i = index.get(span.id);
    if (i === undefined) continue;
    wanted.push(i);
    const applicable = perSpan.get(span.type);
    if (!applicable?.length) continue;
    const activation = spanActivation(span, timeline.contexts[i]);
    for (const rule of applicable) {
      const result = rule.compiled.evaluate(activation);
      if (applies(result)) rows.push(rowOf(rule, span, timeline.starts[i], agent, result));
    }
  }
  const traceRules = rules.filter((r) => r.compiled.scope === "trace");
  if (traceRules.length) rows.push(...evaluateWholeTrace(traceRules, timeline, agent, wanted));
  return rows;
}
