/** The variables a rule sees for one span (docs/rules.md lists them with their CEL types). */
import type { Span } from "../../traces/schemas";
import { CelTraceContext, CelUsage } from "./environment";
import type { TraceContext } from "./trace-context";

type JsonMap = Record<string, unknown>;
const EMPTY: JsonMap = Object.freeze({}) as JsonMap;
const MAX_TEXT = 64 * 1024;

const isMap = (v: unknown): v is JsonMap => typeof v === "object" && v !== null && !Array.isArray(v);
const int = (n: number | null | undefined): bigint =>
  BigInt(Math.trunc(Number.isFinite(n) ? (n as number) : 0));

/** Tool arguments as a map: JSON text that holds an object is parsed (OTLP sends it as a string). */
function argumentsMap(value: unknown): JsonMap {
  if (isMap(value)) return value;
  if (typeof value !== "string" || !value.trimStart().startsWith("{")) return EMPTY;
  try {
    const parsed: unknown = JSON.parse(value);
    return isMap(parsed) ? parsed : EMPTY;
  } catch {
    return EMPTY;
  }
}

/** Text for contains()/matches(): strings as they are, anything else as JSON, capped at 64 KB. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

function celTrace(t: TraceContext): CelTraceContext {
  return new CelTraceContext(
    t.agent,
    int(t.span_count),
    int(t.tool_call_count),
    int(t.llm_call_count),
    int(t.error_count),
    t.cost_usd,
    int(t.total_tokens),
    int(t.same_tool_count),
    int(t.duration_ms),
  );
}

function celUsage(u: Span["usage"]): CelUsage {
  const input = u.input_tokens ?? 0;
  const output = u.output_tokens ?? 0;
  return new CelUsage(int(input), int(output), int(input + output), u.cost_usd ?? 0);
}

/**
 * One object per span, shared by every rule evaluated on it. The *_text variables are getters,
 * computed on first use: most rules never read them and JSON.stringify is the costly part.
 */
export class SpanActivation {
  readonly tool: JsonMap;
  readonly tool_name: string;
  readonly arguments: JsonMap;
  readonly model: string;
  readonly provider: string;
  readonly usage: CelUsage;
  readonly cost_usd: number;
  readonly duration_ms: bigint;
  readonly status: string;
  readonly error: JsonMap;
  readonly input: unknown;
  readonly output: unknown;
  readonly attributes: JsonMap;
  readonly agent: string;
  readonly #source: Span;
  readonly #context: TraceContext;
  #trace: CelTraceContext | undefined;
  #span: JsonMap | undefined;
  #texts: Partial<Record<"input" | "output" | "arguments" | "result", string>> = {};

  constructor(s: Span, trace: TraceContext) {
    this.tool_name = s.tool?.name ?? "";
    this.arguments = s.tool ? argumentsMap(s.tool.arguments) : EMPTY;
    this.tool = s.tool ? { name: s.tool.name, arguments: this.arguments, result: s.tool.result } : EMPTY;
    this.model = s.model ?? "";
    this.provider = s.provider ?? "";
    this.usage = celUsage(s.usage);
    this.cost_usd = s.usage.cost_usd ?? 0;
    this.duration_ms = int(s.duration_ms);
    this.status = s.status;
    this.error = s.error ? { type: s.error.type ?? "", message: s.error.message ?? "" } : EMPTY;
    this.input = s.input ?? null;
    this.output = s.output ?? null;
    this.attributes = s.attributes ?? EMPTY;
    this.agent = trace.agent;
    this.#source = s;
    this.#context = trace;
  }

  // `trace` and `span` too are built on first use: few rules read them, and a span's activation
  // is built for every span of every message (the BigInts and the map are a third of its cost).
  get trace(): CelTraceContext {
    this.#trace ??= celTrace(this.#context);
    return this.#trace;
  }
  get span(): JsonMap {
    this.#span ??= spanMap(this.#source, this);
    return this.#span;
  }

  #text(key: "input" | "output" | "arguments" | "result", value: unknown): string {
    this.#texts[key] ??= asText(value);
    return this.#texts[key];
  }
  get input_text(): string {
    return this.#text("input", this.input);
  }
  get output_text(): string {
    return this.#text("output", this.output);
  }
  get arguments_text(): string {
    return this.#text("arguments", this.tool === EMPTY ? null : this.tool.arguments);
  }
  get result_text(): string {
    return this.#text("result", this.tool === EMPTY ? null : this.tool.result);
  }
}

function spanMap(s: Span, a: SpanActivation): JsonMap {
  return {
    id: s.id,
    trace_id: s.trace_id,
    parent_id: s.parent_id,
    type: s.type,
    name: s.name,
    status: s.status,
    started_at: s.started_at,
    ended_at: s.ended_at,
    duration_ms: s.duration_ms === null ? null : a.duration_ms,
    model: s.model,
    provider: s.provider,
    input: a.input,
    output: a.output,
    attributes: a.attributes,
    error: a.error,
    usage: a.usage,
    tool: a.tool,
    truncated_fields: s.truncated_fields,
  };
}

/** The variables a trace-level rule reads (see scope.ts): only `trace`, the whole trace so far. */
export type TraceActivation = { readonly trace: CelTraceContext };

/** What a compiled rule runs on: a span's variables, or the trace's alone for a trace-level rule. */
export type RuleActivation = SpanActivation | TraceActivation;

export function traceActivation(trace: TraceContext): TraceActivation {
  return { trace: celTrace(trace) };
}

/** Builds the CEL variables for one span; `trace` comes from traceContexts(). */
export function spanActivation(span: Span, trace: TraceContext): SpanActivation {
  return new SpanActivation(span, trace);
}
