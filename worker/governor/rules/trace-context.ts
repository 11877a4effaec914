import type { Span } from "../../traces/schemas";

/** The trace so far: the spans that started at or before the span being checked (itself included). */
export type TraceContext = {
  agent: string;
  span_count: number;
  tool_call_count: number;
  llm_call_count: number;
  error_count: number;
  cost_usd: number;
  total_tokens: number;
  /** Tool spans so far that called the same tool as this span (0 for a span without a tool). */
  same_tool_count: number;
  /** From the first span's start to the latest end (or start) among the spans so far. */
  duration_ms: number;
};

type Totals = Omit<TraceContext, "agent" | "same_tool_count" | "duration_ms"> & {
  first: number;
  last: number;
};

function add(t: Totals, s: Span, start: number): void {
  t.span_count += 1;
  if (s.type === "tool") t.tool_call_count += 1;
  if (s.type === "llm") t.llm_call_count += 1;
  if (s.status === "error") t.error_count += 1;
  t.cost_usd += s.usage.cost_usd ?? 0;
  t.total_tokens += (s.usage.input_tokens ?? 0) + (s.usage.output_tokens ?? 0);
  const end = s.ended_at ? Date.parse(s.ended_at) : start;
  t.first = Math.min(t.first, start);
  t.last = Math.max(t.last, Number.isFinite(end) ? end : start, start);
}

/** A trace's spans in start order, each with the TraceContext it sees (same index). */
export type TraceTimeline = { spans: Span[]; starts: number[]; contexts: TraceContext[] };

/**
 * Every span's TraceContext in O(n log n): spans are sorted by start time once and the totals
 * accumulate. Spans that start at the same millisecond all see each other ("started at or
 * before"), so the last context is the whole trace so far.
 */
export function traceTimeline(spans: Span[], agent: string): TraceTimeline {
  const order = spans.map((span) => ({ span, start: Date.parse(span.started_at) || 0 }));
  order.sort((a, b) => a.start - b.start);
  const totals: Totals = {
    span_count: 0,
    tool_call_count: 0,
    llm_call_count: 0,
    error_count: 0,
    cost_usd: 0,
    total_tokens: 0,
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
  };
  const perTool = new Map<string, number>();
  const contexts: TraceContext[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    for (; j < order.length && order[j].start === order[i].start; j++) {
      const { span, start } = order[j];
      add(totals, span, start);
      if (span.type === "tool" && span.tool)
        perTool.set(span.tool.name, (perTool.get(span.tool.name) ?? 0) + 1);
    }
    const t = totals;
    const duration = Math.max(0, t.last - t.first);
    for (; i < j; i++) {
      const span = order[i].span;
      // Written out, not spread: this runs for every span of every message the governor reads.
      contexts.push({
        agent,
        span_count: t.span_count,
        tool_call_count: t.tool_call_count,
        llm_call_count: t.llm_call_count,
        error_count: t.error_count,
        cost_usd: t.cost_usd,
        total_tokens: t.total_tokens,
        same_tool_count: span.type === "tool" && span.tool ? (perTool.get(span.tool.name) ?? 0) : 0,
        duration_ms: duration,
      });
    }
  }
  return { spans: order.map((o) => o.span), starts: order.map((o) => o.start), contexts };
}

/** The TraceContext of every span of one trace, keyed by span id (see traceTimeline). */
export function traceContexts(spans: Span[], agent: string): Map<string, TraceContext> {
  const { spans: ordered, contexts } = traceTimeline(spans, agent);
  return new Map(ordered.map((s, i) => [s.id, contexts[i]]));
}
