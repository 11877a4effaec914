/**
 * Throwaway Worker for bench/governor.mjs: compiles the governor's rules and evaluates them over
 * realistic spans inside workerd, where code generation (eval, new Function) is refused at request
 * time, and returns the timings as JSON. GET /?evals=2000000&rules=50
 */
import { spanActivation } from "../../worker/governor/rules/activation";
import { type CompiledRule, clearCompileCache, compileRule } from "../../worker/governor/rules/compile";
import { DEFAULT_PACKS } from "../../worker/governor/rules/default-packs";
import { parseRulePack, type RuleDefinition } from "../../worker/governor/rules/parse";
import { traceContexts } from "../../worker/governor/rules/trace-context";
import type { Span } from "../../worker/traces/schemas";
import { benchTraces } from "./spans";

/** The default packs, then variants of them (other names and limits) until there are `count`. */
function benchRules(count: number): RuleDefinition[] {
  const defaults = DEFAULT_PACKS.flatMap((p) => parseRulePack(p.source, "yaml"));
  return Array.from({ length: count }, (_, i) => {
    const def = defaults[i % defaults.length];
    if (i < defaults.length) return def;
    const round = Math.floor(i / defaults.length) + 1;
    const limit = def.limit === undefined ? undefined : def.limit * (1 + round / 2);
    return { ...def, name: `${def.name}_v${round}`, ...(limit === undefined ? {} : { limit }) };
  });
}

function timeCompile(defs: RuleDefinition[], reps: number) {
  const started = performance.now();
  for (let r = 0; r < reps; r++) {
    clearCompileCache();
    for (const def of defs) compileRule(def);
  }
  const ms = performance.now() - started;
  return { rules: defs.length, reps, total_ms: ms, us_per_rule: (ms * 1000) / (reps * defs.length) };
}

type Counts = Record<string, number>;

/** One pass over every trace: contexts, activations, then every applicable rule per span. */
function evaluateAll(
  traces: Span[][],
  rules: CompiledRule[],
  outcomes: Counts,
): { evals: number; pairs: number } {
  let evals = 0;
  let pairs = 0;
  for (const spans of traces) {
    const contexts = traceContexts(spans, "support-bot");
    for (const span of spans) {
      const activation = spanActivation(span, contexts.get(span.id) ?? never());
      for (const rule of rules) {
        pairs++;
        if (!rule.appliesTo(span.type)) continue;
        const result = rule.evaluate(activation);
        outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
        evals++;
      }
    }
  }
  return { evals, pairs };
}

function never(): never {
  throw new Error("span without a trace context");
}

function codegenBlocked(): boolean {
  try {
    // Probing the runtime's codegen ban on purpose: workerd throws EvalError at request time.
    new Function("return 1")();
    return false;
  } catch {
    return true;
  }
}

function run(url: URL) {
  const target = Number(url.searchParams.get("evals") ?? 2_000_000);
  const defs = benchRules(Number(url.searchParams.get("rules") ?? 50));
  const parseStarted = performance.now();
  for (const p of DEFAULT_PACKS) parseRulePack(p.source, "yaml");
  const packParseMs = performance.now() - parseStarted;
  const compile = timeCompile(defs, Number(url.searchParams.get("compile_reps") ?? 20));
  const rules = defs.map(compileRule);
  const traces = benchTraces(20, 50);
  const outcomes: Counts = {};
  evaluateAll(traces, rules, {}); // warm-up
  let evals = 0;
  let pairs = 0;
  const started = performance.now();
  while (evals < target) {
    const pass = evaluateAll(traces, rules, outcomes);
    evals += pass.evals;
    pairs += pass.pairs;
  }
  const ms = performance.now() - started;
  return {
    rules: rules.length,
    spans_per_pass: traces.flat().length,
    evaluations: evals,
    span_rule_pairs: pairs,
    elapsed_ms: ms,
    evals_per_s: Math.round(evals / (ms / 1000)),
    pairs_per_s: Math.round(pairs / (ms / 1000)),
    compile,
    default_packs_parse_ms: packParseMs,
    outcomes,
    codegen_blocked: codegenBlocked(),
  };
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/healthz") return new Response("ok");
    return Response.json(run(url));
  },
} satisfies ExportedHandler;
