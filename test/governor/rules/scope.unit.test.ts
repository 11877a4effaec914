import { describe, expect, it } from "vitest";
import { DEFAULT_PACKS } from "../../../worker/governor/rules/default-packs";
import { parseRule, parseRulePack } from "../../../worker/governor/rules/parse";
import { ruleScope } from "../../../worker/governor/rules/scope";

const scopeOf = (yaml: string) => ruleScope(parseRule(`name: r\n${yaml}`, "yaml"));

describe("rule scope", () => {
  it("makes a rule that measures only the whole trace a trace-level rule", () => {
    expect(scopeOf("measure: trace.tool_call_count\nlimit: 50")).toBe("trace");
    expect(scopeOf("when: \"trace.agent == 'bot'\"\nmeasure: trace.cost_usd\nlimit: 5")).toBe("trace");
    expect(scopeOf("condition: trace.error_count > 3 && trace.span_count < 100")).toBe("trace");
    expect(scopeOf("condition: '[1, 2].exists(x, x > trace.span_count)'")).toBe("trace");
  });

  it("keeps a rule per span when any expression reads the span, even only its guard", () => {
    expect(scopeOf("when: \"status == 'error'\"\nmeasure: trace.error_count\nlimit: 5")).toBe("span");
    expect(scopeOf("measure: trace.same_tool_count\nlimit: 10")).toBe("span");
    expect(scopeOf("measure: trace.cost_usd + cost_usd\nlimit: 5")).toBe("span");
    expect(scopeOf("measure: cost_usd\nlimit: 1")).toBe("span");
    expect(scopeOf("condition: 'true'")).toBe("span");
  });

  it("finds the four trace-level rules among the default packs", () => {
    const rules = DEFAULT_PACKS.flatMap((p) => parseRulePack(p.source, "yaml"));
    expect(
      rules
        .filter((r) => ruleScope(r) === "trace")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["llm_call_storm", "tool_call_storm", "trace_cost_budget", "trace_token_budget"]);
  });
});
