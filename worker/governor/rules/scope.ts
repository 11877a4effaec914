/**
 * Whether a rule judges a span or the whole trace, decided from its expressions when it compiles.
 * A rule is about the trace when every expression (`when`, `measure`, `condition`, `warn_condition`)
 * reads nothing but trace-wide fields of `trace` (and literals, or names its own comprehensions
 * bind), and its measure or condition reads at least one. Such a rule gives the same verdict
 * whichever span of the trace it is checked on, so it yields one finding per trace, not one per
 * span. `trace.same_tool_count` depends on the span's tool, so a rule reading it stays per span;
 * so does any rule reading a span variable, even only in its guard (the guard picks spans).
 */
import type { ASTNode } from "@marcbachmann/cel-js";
import { parseExpression } from "./expression";
import type { RuleDefinition } from "./schema";

export type RuleScope = "span" | "trace";

/** The fields of `trace` that are the same for every span of the trace. */
export const TRACE_WIDE_FIELDS: ReadonlySet<string> = new Set([
  "agent",
  "span_count",
  "tool_call_count",
  "llm_call_count",
  "error_count",
  "cost_usd",
  "total_tokens",
  "duration_ms",
]);

const COMPREHENSIONS = new Set(["all", "exists", "exists_one", "map", "filter"]);
type Reads = { traceWide: boolean; other: boolean };

function walk(node: ASTNode, bound: ReadonlySet<string>, reads: Reads): void {
  if (reads.other) return;
  if (node.op === "id") {
    if (!bound.has(node.args)) reads.other = true; // bare `trace` or a span variable
    return;
  }
  if (node.op === "." || node.op === ".?") {
    const [receiver, field] = node.args;
    if (receiver.op === "id" && receiver.args === "trace" && !bound.has("trace")) {
      if (TRACE_WIDE_FIELDS.has(field)) reads.traceWide = true;
      else reads.other = true;
      return;
    }
    walk(receiver, bound, reads);
    return;
  }
  if (node.op === "rcall" && COMPREHENSIONS.has(node.args[0])) {
    const [, receiver, args] = node.args;
    walk(receiver, bound, reads);
    const [variable, ...body] = args;
    const inner = variable?.op === "id" ? new Set([...bound, variable.args]) : bound;
    for (const child of body) walk(child, inner, reads);
    return;
  }
  for (const child of childrenOf(node)) walk(child, bound, reads);
}

function childrenOf(node: ASTNode): ASTNode[] {
  const out: ASTNode[] = [];
  const collect = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) collect(x);
    else if (typeof v === "object" && v !== null && "op" in v) out.push(v as ASTNode);
  };
  if (node.op !== "value") collect(node.args);
  return out;
}

function readsOf(text: string | undefined): Reads {
  const reads = { traceWide: false, other: false };
  if (typeof text === "string") walk(parseExpression(text), new Set(), reads);
  return reads;
}

/** The scope of a valid rule; a rule whose expressions do not parse is judged per span. */
export function ruleScope(def: RuleDefinition): RuleScope {
  try {
    const guard = readsOf(def.when);
    const verdict = [readsOf(def.measure), readsOf(def.condition), readsOf(def.warn_condition)];
    if (guard.other || verdict.some((r) => r.other)) return "span";
    return verdict[0].traceWide || verdict[1].traceWide ? "trace" : "span";
  } catch {
    return "span";
  }
}
