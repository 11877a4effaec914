import { describe, expect, it } from "vitest";
import { spanActivation } from "../../../worker/governor/rules/activation";
import { traceContexts } from "../../../worker/governor/rules/trace-context";
import { at, evaluate, span, toolSpan, traceContext } from "./spans";

const value = (cel: string, s = span()) =>
  evaluate(`name: v\nmeasure: ${JSON.stringify(cel)}\nlimit: 1000000000\n`, s).measured;
const holds = (cel: string, s = span()) =>
  evaluate(`name: v\ncondition: ${JSON.stringify(cel)}\n`, s).outcome === "red";

describe("spanActivation", () => {
  it("exposes usage with zeros for missing values and a total", () => {
    const s = span({ usage: { input_tokens: 120, output_tokens: null, cost_usd: 0.25 } });
    expect(value("usage.total_tokens", s)).toBe(120);
    expect(value("usage.output_tokens", s)).toBe(0);
    expect(value("cost_usd + usage.cost_usd", s)).toBe(0.5);
  });

  it("exposes the tool call, its name and its arguments; JSON text arguments are parsed", () => {
    const s = toolSpan("delete_files", '{"files": ["a", "b"]}');
    expect(value("size(arguments.files)", s)).toBe(2);
    expect(holds("tool.name == 'delete_files' && tool_name == tool.name", s)).toBe(true);
    expect(holds("arguments_text.contains('\"files\"')", s)).toBe(true);
  });

  it("gives empty maps and strings when a span has no tool, error, model or attributes", () => {
    const s = span();
    expect(holds("size(tool) == 0 && tool_name == '' && size(arguments) == 0 && size(error) == 0", s)).toBe(
      true,
    );
    expect(holds("model == '' && provider == '' && size(attributes) == 0 && input == null", s)).toBe(true);
  });

  it("exposes the span's own fields under span", () => {
    const s = span({ name: "plan", model: "gpt-4o", duration_ms: 250, attributes: { env: "prod" } });
    expect(holds("span.name == 'plan' && span.type == 'llm' && span.model == 'gpt-4o'", s)).toBe(true);
    expect(value("span.duration_ms + duration_ms", s)).toBe(500);
    expect(holds("span.attributes.env == 'prod' && attributes.env == 'prod'", s)).toBe(true);
  });

  it("exposes errors and status", () => {
    const s = span({ status: "error", error: { type: "Timeout", message: "took too long" } });
    expect(holds("status == 'error' && error.type == 'Timeout' && error.message.contains('long')", s)).toBe(
      true,
    );
  });

  it("renders inputs and outputs as text: strings as they are, other values as JSON", () => {
    expect(
      holds(
        "input_text == 'hello' && output_text == '{\"a\":[1,2]}'",
        span({ input: "hello", output: { a: [1, 2] } }),
      ),
    ).toBe(true);
    expect(holds("output.a[1] == 2.0", span({ output: { a: [1, 2] } }))).toBe(true);
  });

  it("computes the *_text variables only when a rule reads them", () => {
    const output = {
      toJSON() {
        throw new Error("serialised");
      },
    };
    const activation = spanActivation(span({ output }), traceContext());
    expect(activation.model).toBe("");
    expect(() => activation.output_text).toThrow("serialised");
  });
});

describe("traceContexts", () => {
  const trace = [
    toolSpan(
      "search",
      {},
      { id: "a", started_at: at(0), ended_at: at(100), usage: { cost_usd: 0.1, input_tokens: 10 } },
    ),
    span({
      id: "b",
      type: "llm",
      started_at: at(200),
      ended_at: at(900),
      status: "error",
      usage: { cost_usd: 0.2, output_tokens: 5 },
    }),
    toolSpan("search", {}, { id: "c", started_at: at(1000), ended_at: at(1500) }),
    toolSpan("fetch", {}, { id: "d", started_at: at(1000), ended_at: at(1200) }),
    toolSpan("search", {}, { id: "e", started_at: at(3000), ended_at: null }),
  ];
  const contexts = traceContexts([...trace].reverse(), "agent-a");

  it("counts the spans that started at or before each span", () => {
    expect(contexts.get("a")).toMatchObject({
      span_count: 1,
      tool_call_count: 1,
      llm_call_count: 0,
      same_tool_count: 1,
    });
    expect(contexts.get("b")).toMatchObject({
      span_count: 2,
      llm_call_count: 1,
      error_count: 1,
      same_tool_count: 0,
    });
    expect(contexts.get("e")).toMatchObject({
      span_count: 5,
      tool_call_count: 4,
      same_tool_count: 3,
      agent: "agent-a",
    });
  });

  it("lets spans that start together see each other", () => {
    expect(contexts.get("c")).toMatchObject({ span_count: 4, same_tool_count: 2 });
    expect(contexts.get("d")).toMatchObject({ span_count: 4, same_tool_count: 1 });
  });

  it("sums cost and tokens, and measures the elapsed time so far", () => {
    expect(contexts.get("b")?.cost_usd).toBeCloseTo(0.3);
    expect(contexts.get("b")?.total_tokens).toBe(15);
    expect(contexts.get("b")?.duration_ms).toBe(900);
    expect(contexts.get("e")?.duration_ms).toBe(3000);
  });

  it("feeds the trace variable of a rule", () => {
    const e = trace[4];
    const ctx = contexts.get("e");
    const result = evaluate("name: r\nmeasure: trace.same_tool_count\nlimit: 3\n", e, ctx);
    expect(result).toMatchObject({ outcome: "amber", measured: 3 });
  });

  it("handles a large trace quickly", () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      toolSpan(`t${i % 7}`, {}, { id: `x${i}`, started_at: at(i) }),
    );
    const started = Date.now();
    const result = traceContexts(many, "a");
    expect(result.get("x19999")).toMatchObject({
      span_count: 20_000,
      same_tool_count: Math.ceil(20_000 / 7),
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
