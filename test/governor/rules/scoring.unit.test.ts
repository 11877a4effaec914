import { describe, expect, it } from "vitest";
import { compileRule } from "../../../worker/governor/rules/compile";
import type { RuleDefinition } from "../../../worker/governor/rules/parse";
import { evaluate, span, toolSpan } from "./spans";

const measured = (value: number) => span({ type: "llm", usage: { cost_usd: value } });
const rule = (extra: string) => `name: r\nmeasure: cost_usd\n${extra}`;

describe("measure scoring", () => {
  it("is pass below amber, amber from 80% of the limit, red only past the limit for '>'", () => {
    const r = rule("limit: 10\n");
    expect(evaluate(r, measured(7.9))).toMatchObject({ outcome: "pass", score: 0.79, measured: 7.9 });
    expect(evaluate(r, measured(8)).outcome).toBe("amber");
    expect(evaluate(r, measured(10))).toMatchObject({ outcome: "amber", score: 1 });
    expect(evaluate(r, measured(10.5))).toMatchObject({ outcome: "red", score: 1.05 });
  });

  it("is red at the limit itself for '>='", () => {
    expect(evaluate(rule("limit: 10\nop: '>='\n"), measured(10)).outcome).toBe("red");
  });

  it("scores from the baseline", () => {
    const r = rule("limit: 10\nbaseline: 5\n");
    expect(evaluate(r, measured(5))).toMatchObject({ outcome: "pass", score: 0 });
    expect(evaluate(r, measured(9))).toMatchObject({ outcome: "amber", score: 0.8 });
  });

  it("handles lower bounds through the baseline (confidence must stay at 0.6 or above)", () => {
    const r = "name: confidence\nmeasure: double(attributes.confidence)\nop: '<'\nlimit: 0.6\nbaseline: 1\n";
    const at = (confidence: number) => evaluate(r, span({ attributes: { confidence } }));
    expect(at(0.9)).toMatchObject({ outcome: "pass" });
    expect(at(0.68).outcome).toBe("amber");
    expect(at(0.68).score).toBeCloseTo(0.8);
    expect(at(0.6).outcome).toBe("amber");
    expect(at(0.5)).toMatchObject({ outcome: "red", score: 1.25 });
    const inclusive = r.replace("op: '<'", "op: '<='");
    expect(evaluate(inclusive, span({ attributes: { confidence: 0.6 } })).outcome).toBe("red");
  });

  it("honours a custom amber threshold and red line", () => {
    const r = rule("limit: 10\nthreshold_amber: 0.5\nthreshold_red: 1.2\n");
    expect(evaluate(r, measured(4.9)).outcome).toBe("pass");
    expect(evaluate(r, measured(5)).outcome).toBe("amber");
    expect(evaluate(r, measured(12)).outcome).toBe("amber");
    expect(evaluate(r, measured(12.5)).outcome).toBe("red");
  });

  it("explains the result in words", () => {
    const r = "name: files\nmeasure: size(tool.arguments.?files.orValue([]))\nlimit: 5\n";
    const red = evaluate(r, toolSpan("delete", { files: [1, 2, 3, 4, 5, 6] }));
    expect(red.explanation).toBe(
      "measure size(tool.arguments.?files.orValue([])) = 6 > limit 5 (score 1.20)",
    );
  });

  it("converts CEL integers (BigInt) to numbers", () => {
    const result = evaluate("name: r\nmeasure: size(input)\nlimit: 10\n", span({ input: "abcdefgh" }));
    expect(result).toMatchObject({ outcome: "amber", measured: 8 });
    expect(typeof result.measured).toBe("number");
  });
});

describe("errors", () => {
  it("turns a missing field into an error outcome with the message", () => {
    const result = evaluate("name: r\nmeasure: size(tool.arguments.files)\nlimit: 5\n", toolSpan("x", {}));
    expect(result).toMatchObject({ outcome: "error", score: null, measured: null });
    expect(result.explanation).toMatch(/No such key: files/);
  });

  it("turns a type error at run time into an error outcome", () => {
    const result = evaluate(
      "name: r\nmeasure: double(attributes.n) * 2.0\nlimit: 5\n",
      span({ attributes: { n: "abc" } }),
    );
    expect(result.outcome).toBe("error");
  });

  it("treats NaN and Infinity as errors", () => {
    const def: RuleDefinition = {
      name: "r",
      description: "",
      version: "1",
      target_span_type: "all",
      measure: "cost_usd / 0.0",
      limit: 1,
      op: ">",
      baseline: 0,
      threshold_amber: 0.8,
      threshold_red: 1,
      policy_group: "g",
      severity: "low",
      enabled: true,
    };
    const result = evaluate(def, measured(1));
    expect(result.outcome).toBe("error");
    expect(result.explanation).toMatch(/Infinity is not a finite number/);
    expect(evaluate({ ...def, measure: "cost_usd / cost_usd" }, measured(0)).explanation).toMatch(/NaN/);
  });

  it("reports a non-numeric measure result as an error", () => {
    const result = evaluate("name: r\nmeasure: attributes.v\nlimit: 5\n", span({ attributes: { v: "7" } }));
    expect(result).toMatchObject({
      outcome: "error",
      explanation: expect.stringMatching(/returned string, expected a number/),
    });
  });

  it("reports a guard that is not boolean as an error, and a false guard as not applicable", () => {
    const r = "name: r\nwhen: attributes.flag\nmeasure: cost_usd\nlimit: 5\n";
    expect(evaluate(r, span({ attributes: { flag: "yes" } })).outcome).toBe("error");
    expect(evaluate(r, span({ attributes: { flag: false } })).outcome).toBe("not_applicable");
    expect(evaluate(r, span({ attributes: { flag: true } })).outcome).toBe("pass");
  });

  it("does not throw for a stored definition that no longer compiles", () => {
    const def = { name: "old", measure: "no_such_variable + 1", limit: 1 } as RuleDefinition;
    const result = compileRule(def).evaluate({} as never);
    expect(result).toMatchObject({ outcome: "error" });
    expect(result.explanation).toMatch(/does not compile/);
  });
});

describe("boolean rules", () => {
  const r = "name: r\ncondition: status == 'error'\nwarn_condition: duration_ms > 1000\n";

  it("are red when the condition holds, amber when only warn_condition does, else pass", () => {
    expect(evaluate(r, span({ status: "error" }))).toMatchObject({ outcome: "red", score: null });
    expect(evaluate(r, span({ duration_ms: 5000 })).outcome).toBe("amber");
    expect(evaluate(r, span()).outcome).toBe("pass");
  });

  it("target only their span type", () => {
    const compiled = compileRule({
      name: "t",
      description: "",
      version: "1",
      target_span_type: "tool",
      condition: "true",
      policy_group: "g",
      severity: "low",
      enabled: true,
    });
    expect(compiled.appliesTo("tool")).toBe(true);
    expect(compiled.appliesTo("llm")).toBe(false);
  });
});

describe("compile cache", () => {
  it("returns the same compiled rule for an identical definition", () => {
    const def: RuleDefinition = {
      name: "c",
      description: "",
      version: "1",
      target_span_type: "all",
      condition: "true",
      policy_group: "g",
      severity: "low",
      enabled: true,
    };
    expect(compileRule({ ...def })).toBe(compileRule({ ...def }));
    expect(compileRule({ ...def, condition: "false" })).not.toBe(compileRule(def));
  });
});
