/** Rule → evaluator over span activations. Compiled once per isolate and cached by content. */
import type { ParseResult } from "@marcbachmann/cel-js";
import { UnsignedInt } from "@marcbachmann/cel-js/evaluator";
import type { RuleActivation } from "./activation";
import { ruleEnvironment } from "./environment";
import { type ExpressionRole, expressionProblem } from "./expression";
import { canonicalJson, sha256Hex } from "./hash";
import { RULE_DEFAULTS, type RuleDefinition } from "./schema";
import { type RuleScope, ruleScope } from "./scope";
import { type Evaluation, type Scale, scorer } from "./score";

export type { Evaluation, Outcome } from "./score";

export type CompiledRule = {
  /** SHA-256 of the definition's canonical JSON (same as ruleHash(def)). */
  readonly hash: string;
  readonly name: string;
  /**
   * `trace`: the rule reads only the whole trace (scope.ts), so it is evaluated once per trace on a
   * TraceActivation and yields one finding per trace; `span`: once per span.
   */
  readonly scope: RuleScope;
  /** Whether the rule targets spans of this type (`all` targets every type). */
  appliesTo(spanType: string): boolean;
  /** Never throws: runtime failures come back as outcome `error` with the message. */
  evaluate(activation: RuleActivation): Evaluation;
};

type Program = ParseResult;
const CACHE_LIMIT = 1_000;
const cache = new Map<string, CompiledRule>();
const LABEL_LIMIT = 80;

const label = (text: string) => (text.length > LABEL_LIMIT ? `${text.slice(0, LABEL_LIMIT - 1)}…` : text);
const failure = (explanation: string): Evaluation => ({
  outcome: "error",
  score: null,
  measured: null,
  explanation,
});

function messageOf(err: unknown): string {
  if (err instanceof Error) return (err as { summary?: string }).summary ?? err.message.split("\n")[0];
  return String(err);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? (v.constructor?.name ?? "map") : typeof v;
}

/** Runs a boolean program: true/false, or an Evaluation describing why it failed. */
function runBoolean(program: Program, a: RuleActivation, what: string): boolean | Evaluation {
  let v: unknown;
  try {
    v = program(a);
  } catch (err) {
    return failure(`${what} failed: ${messageOf(err)}`);
  }
  return typeof v === "boolean" ? v : failure(`${what} returned ${typeName(v)}, expected a boolean`);
}

function runNumber(program: Program, a: RuleActivation, what: string): number | Evaluation {
  let v: unknown;
  try {
    v = program(a);
  } catch (err) {
    return failure(`${what} failed: ${messageOf(err)}`);
  }
  const n =
    typeof v === "number"
      ? v
      : typeof v === "bigint"
        ? Number(v)
        : v instanceof UnsignedInt
          ? Number(v.valueOf())
          : null;
  if (n === null) return failure(`${what} returned ${typeName(v)}, expected a number`);
  if (!Number.isFinite(n))
    return {
      outcome: "error",
      score: null,
      measured: null,
      explanation: `${what} = ${n} is not a finite number`,
    };
  return n;
}

type Parts = { when: Program | null; measure?: Program; scale?: Scale; condition?: Program; warn?: Program };

function measureEvaluator(p: Parts): (a: RuleActivation) => Evaluation {
  const { measure, scale } = p as Required<Pick<Parts, "measure" | "scale">>;
  const what = `measure ${scale.label}`;
  const score = scorer(scale);
  return (a) => {
    const m = runNumber(measure, a, what);
    return typeof m === "number" ? score(m) : m;
  };
}

function booleanEvaluator(p: Parts, def: RuleDefinition): (a: RuleActivation) => Evaluation {
  const condition = p.condition as Program;
  const red = `condition holds: ${label(def.condition ?? "")}`;
  const amber = `warn_condition holds: ${label(def.warn_condition ?? "")}`;
  return (a) => {
    const c = runBoolean(condition, a, "condition");
    if (c === true) return { outcome: "red", score: null, measured: null, explanation: red };
    if (c !== false) return c;
    const w = p.warn ? runBoolean(p.warn, a, "warn_condition") : false;
    if (w === true) return { outcome: "amber", score: null, measured: null, explanation: amber };
    if (w !== false) return w;
    return { outcome: "pass", score: null, measured: null, explanation: "condition does not hold" };
  };
}

function guarded(when: Program | null, body: (a: RuleActivation) => Evaluation, def: RuleDefinition) {
  if (!when) return body;
  const skipped = `when is false: ${label(def.when ?? "")}`;
  return (a: RuleActivation): Evaluation => {
    const g = runBoolean(when, a, "when");
    if (g === true) return body(a);
    if (g === false) return { outcome: "not_applicable", score: null, measured: null, explanation: skipped };
    return g;
  };
}

/** Re-checks every expression (definitions may come from storage) and parses it once. */
function programs(def: RuleDefinition): Parts | string {
  const fields: [keyof RuleDefinition, ExpressionRole][] = [
    ["when", "boolean"],
    ["measure", "number"],
    ["condition", "boolean"],
    ["warn_condition", "boolean"],
  ];
  const parsed: Partial<Record<keyof RuleDefinition, Program>> = {};
  for (const [field, role] of fields) {
    const text = def[field];
    if (typeof text !== "string") continue;
    const problem = expressionProblem(text, role);
    if (problem) return `${field}: ${problem.message}`;
    parsed[field] = ruleEnvironment.parse(text);
  }
  if (!parsed.measure && !parsed.condition) return "the rule has neither measure nor condition";
  if (parsed.measure && typeof def.limit !== "number") return "measure without a numeric limit";
  const scale: Scale | undefined = parsed.measure ? scaleOf(def) : undefined;
  return {
    when: parsed.when ?? null,
    measure: parsed.measure,
    scale,
    condition: parsed.condition,
    warn: parsed.warn_condition,
  };
}

function scaleOf(def: RuleDefinition): Scale {
  const d = RULE_DEFAULTS;
  return {
    op: def.op ?? d.op,
    limit: def.limit ?? 0,
    baseline: def.baseline ?? d.baseline,
    amber: def.threshold_amber ?? d.threshold_amber,
    red: def.threshold_red ?? d.threshold_red,
    label: label(def.measure ?? ""),
  };
}

function build(def: RuleDefinition, hash: string): CompiledRule {
  const target = def.target_span_type ?? "all";
  const appliesTo = (spanType: string) => target === "all" || target === spanType;
  const parts = programs(def);
  if (typeof parts === "string") {
    const broken = failure(`rule does not compile: ${parts}`);
    return { hash, name: def.name, scope: "span", appliesTo, evaluate: () => ({ ...broken }) };
  }
  const body = parts.measure ? measureEvaluator(parts) : booleanEvaluator(parts, def);
  return { hash, name: def.name, scope: ruleScope(def), appliesTo, evaluate: guarded(parts.when, body, def) };
}

/** Compiles a rule, or returns the isolate's cached compilation of an identical definition. */
export function compileRule(def: RuleDefinition): CompiledRule {
  const key = canonicalJson(def);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const compiled = build(def, sha256Hex(key));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}

/** For tests and benchmarks: forget every cached compilation. */
export function clearCompileCache(): void {
  cache.clear();
}
