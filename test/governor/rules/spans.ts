/** Span and trace builders for the rule engine tests. */
import { spanActivation } from "../../../worker/governor/rules/activation";
import { compileRule, type Evaluation } from "../../../worker/governor/rules/compile";
import { parseRule, type RuleDefinition } from "../../../worker/governor/rules/parse";
import type { TraceContext } from "../../../worker/governor/rules/trace-context";
import type { Span } from "../../../worker/traces/schemas";

const T0 = Date.parse("2026-11-23T10:00:00Z");
export const at = (ms: number) => new Date(T0 + ms).toISOString();

let seq = 0;

export type SpanPatch = Partial<Omit<Span, "usage">> & { usage?: Partial<Span["usage"]> };

export function span(patch: SpanPatch = {}): Span {
  seq += 1;
  const { usage, ...rest } = patch;
  return {
    id: `s${seq}`,
    trace_id: "t1",
    parent_id: null,
    type: "llm",
    name: "step",
    started_at: at(seq),
    ended_at: null,
    duration_ms: 100,
    status: "ok",
    error: null,
    input: null,
    output: null,
    model: null,
    provider: null,
    usage: { input_tokens: null, output_tokens: null, cost_usd: null, ...usage },
    tool: null,
    attributes: null,
    worst_outcome: null,
    truncated_fields: [],
    ...rest,
  };
}

export const toolSpan = (name: string, args: unknown, patch: SpanPatch = {}): Span =>
  span({ type: "tool", name, tool: { name, arguments: args, result: null }, ...patch });

export function traceContext(patch: Partial<TraceContext> = {}): TraceContext {
  return {
    agent: "agent-a",
    span_count: 1,
    tool_call_count: 0,
    llm_call_count: 0,
    error_count: 0,
    cost_usd: 0,
    total_tokens: 0,
    same_tool_count: 0,
    duration_ms: 0,
    ...patch,
  };
}

/** Evaluates a rule (a definition or YAML text) on one span with the given trace context. */
export function evaluate(
  rule: RuleDefinition | string,
  s: Span,
  trace: Partial<TraceContext> = {},
): Evaluation {
  const def = typeof rule === "string" ? parseRule(rule, "yaml") : rule;
  return compileRule(def).evaluate(spanActivation(s, traceContext(trace)));
}

/** Runs fn and returns the error it throws (fails the test when it does not throw). */
export function thrown(
  fn: () => unknown,
): Error & { details?: { path: string; message: string; line?: number; column?: number }[] } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
}
