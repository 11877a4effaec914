import { describe, expect, it } from "vitest";
import { parseRule } from "../../../worker/governor/rules/parse";
import { regexProblem } from "../../../worker/lib/regex-safety";
import { evaluate, span, thrown, toolSpan } from "./spans";

const condition = (cel: string) => `name: probe\ncondition: ${JSON.stringify(cel)}\n`;
const rejected = (cel: string) => thrown(() => parseRule(condition(cel), "yaml")).details?.[0];

describe("prototype probes", () => {
  it("are rejected at save time when the key is written out", () => {
    for (const cel of [
      "tool['constructor'] != null",
      "tool.__proto__ != null",
      "has(arguments.constructor)",
      "arguments[?'prototype'].hasValue()",
    ]) {
      expect(rejected(cel)?.message, cel).toMatch(/not allowed/);
    }
  });

  it("evaluate safely when the key is computed at run time", () => {
    const probe = "name: probe\ncondition: tool[attributes.k] != null\n";
    for (const k of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const result = evaluate(probe, toolSpan("x", {}, { attributes: { k } }));
      expect(result.outcome, k).toBe("error");
      expect(result.explanation).toMatch(/No such key/);
    }
  });

  it("cannot reach the prototype through JSON payload keys", () => {
    const args = JSON.parse('{"__proto__": {"polluted": true}}');
    const result = evaluate(
      "name: p\ncondition: arguments.?polluted.orValue(false) == true\n",
      toolSpan("x", args),
    );
    expect(result.outcome).toBe("pass");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("matches() patterns", () => {
  it("accept bounded, non-nested patterns such as the default PII ones", () => {
    expect(regexProblem("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}\\.[A-Za-z]{2,24}")).toBeNull();
    expect(regexProblem("\\b\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{1,4}\\b")).toBeNull();
    expect(regexProblem("ignore (all )?(previous|prior) instructions")).toBeNull();
  });

  it("reject nested quantifiers, backreferences, lookaround, unbounded and costly repetition", () => {
    expect(regexProblem("(a{1,5}){1,5}")).toMatch(/nested/);
    expect(regexProblem("(a|aa){2,10}")).toMatch(/nested/);
    expect(regexProblem("(a)\\1")).toMatch(/backreference/);
    expect(regexProblem("a(?=b)")).toMatch(/lookahead/);
    expect(regexProblem("(?i)abc")).toMatch(/inline flags/);
    expect(regexProblem("(a+)+$")).toMatch(/unbounded/);
    expect(regexProblem(".*x")).toMatch(/unbounded/);
    expect(regexProblem(".{0,100}.{0,100}.{0,100}x")).toMatch(/backtrack too much/);
    expect(regexProblem("a{1,1000}")).toMatch(/bounds/);
  });

  it("are checked when a rule is saved", () => {
    expect(rejected("output_text.matches('(a+)+$')")).toMatchObject({
      path: "condition",
      column: expect.any(Number),
    });
    expect(rejected("output_text.matches(input_text)")?.message).toMatch(/string literal/);
  });

  it("run in linear time on a long hostile text", () => {
    const rule = condition("output_text.matches(r'[a-z]{1,64}@[a-z]{1,63}\\.[a-z]{2,10}')");
    const started = Date.now();
    const result = evaluate(rule, span({ output: "a".repeat(65_536) }));
    expect(result.outcome).toBe("pass");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("limits", () => {
  it("reject expressions longer than 2,000 characters", () => {
    expect(rejected(`${"status == 'ok' || ".repeat(120)}true`)?.message).toMatch(/longer than 2000/);
  });

  it("reject deep or large expressions", () => {
    expect(rejected(`attributes${".a".repeat(30)} == 1`)?.message).toMatch(/maxDepth/);
    expect(rejected(`[${Array.from({ length: 150 }, (_, i) => i).join(", ")}].size() > 1`)?.message).toMatch(
      /Exceeded/,
    );
  });

  it("reject comprehensions nested over span data", () => {
    expect(rejected("arguments.files.exists(f, arguments.files.exists(g, f == g))")?.message).toMatch(
      /nested exists/,
    );
    expect(
      parseRule(
        condition(
          "arguments.?files.orValue([]).exists(f, ['/etc', '/root'].exists(p, string(f).startsWith(p)))",
        ),
        "yaml",
      ).condition,
    ).toBeDefined();
  });

  it("reject variables that do not exist", () => {
    expect(rejected("process.env.SECRET == ''")?.message).toMatch(/Unknown variable|process/);
  });
});
