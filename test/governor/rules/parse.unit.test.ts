import { describe, expect, it } from "vitest";
import {
  parseRule,
  parseRulePack,
  RuleDefinition,
  RuleValidationError,
  ruleHash,
  validateRule,
} from "../../../worker/governor/rules/parse";
import { ValidationError } from "../../../worker/lib/errors";
import { thrown } from "./spans";

const pack = (body: string) => `rules:\n${body}`;

describe("parseRulePack", () => {
  it("fills defaults and returns definitions that satisfy the RuleDefinition schema", () => {
    const [def] = parseRulePack(pack("  - name: cost\n    measure: cost_usd\n    limit: 1\n"), "yaml");
    expect(def).toEqual({
      name: "cost",
      description: "",
      version: "1",
      target_span_type: "all",
      measure: "cost_usd",
      limit: 1,
      op: ">",
      baseline: 0,
      threshold_amber: 0.8,
      threshold_red: 1,
      policy_group: "general",
      severity: "medium",
      enabled: true,
    });
    expect(RuleDefinition.parse(def)).toEqual(def);
  });

  it("reports a YAML syntax error with its line and column", () => {
    const err = thrown(() => parseRulePack("rules:\n  - name: a\n    limit: [1, 2\n  - name: b\n", "yaml"));
    expect(err).toBeInstanceOf(RuleValidationError);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details?.[0]).toMatchObject({
      path: "",
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(err.details?.[0].message).toMatch(/YAML syntax error/);
  });

  it("reports a bad indentation at the line where it happens", () => {
    const err = thrown(() =>
      parseRulePack("rules:\n  - name: a\n    measure: cost_usd\n   limit: 1\n", "yaml"),
    );
    expect(err.details?.[0]).toMatchObject({ line: 4, column: 1 });
  });

  it("reports duplicate keys", () => {
    const err = thrown(() =>
      parseRulePack(pack("  - name: a\n    name: b\n    measure: cost_usd\n    limit: 1\n"), "yaml"),
    );
    expect(err.details?.[0]).toMatchObject({ line: 3 });
    expect(err.details?.[0].message).toMatch(/unique/);
  });

  it("reports a JSON syntax error with its line and column", () => {
    const err = thrown(() => parseRulePack('{"rules": [\n  {"name": "a",}\n]}', "json"));
    expect(err.details?.[0]).toMatchObject({ path: "", line: 2, column: 16 });
    expect(err.details?.[0].message).toMatch(/JSON syntax error/);
  });

  it("points schema errors at the offending field", () => {
    const src = pack(
      "  - name: ok\n    measure: cost_usd\n    limit: 1\n  - name: Bad-Name\n    measure: cost_usd\n    limit: high\n",
    );
    const err = thrown(() => parseRulePack(src, "yaml"));
    expect(err.details).toEqual([
      expect.objectContaining({ path: "rules.1.name", line: 5, column: 11 }),
      expect.objectContaining({ path: "rules.1.limit", line: 7, column: 12 }),
    ]);
  });

  it("points an unknown field at its key", () => {
    const err = thrown(() =>
      parseRulePack(pack("  - name: a\n    mesure: cost_usd\n    limit: 1\n"), "yaml"),
    );
    expect(err.details?.[0]).toMatchObject({
      path: "rules.0.mesure",
      message: "unknown field 'mesure'",
      line: 3,
      column: 5,
    });
  });

  it("rejects a CEL type error at save time with the field path and the column inside the expression", () => {
    const err = thrown(() =>
      parseRulePack(pack('  - name: a\n    measure: "usage.totl_tokens"\n    limit: 5\n'), "yaml"),
    );
    expect(err.details?.[0]).toMatchObject({ path: "rules.0.measure", line: 3, column: 21 });
    expect(err.details?.[0].message).toMatch(/totl_tokens/);
  });

  it("maps positions inside block scalars", () => {
    const src = pack(
      "  - name: a\n    when: |\n      tool_name != ''\n        && tool_name + 1 > 2\n    measure: cost_usd\n    limit: 1\n",
    );
    const err = thrown(() => parseRulePack(src, "yaml"));
    expect(err.details?.[0]).toMatchObject({ path: "rules.0.when", line: 5 });
  });

  it("rejects expressions of the wrong type for their field", () => {
    const measure = thrown(() => parseRule("name: a\nmeasure: tool_name\nlimit: 1\n", "yaml"));
    expect(measure.details?.[0]).toMatchObject({
      path: "measure",
      message: "must be a number, but this is string",
    });
    const guard = thrown(() => parseRule("name: a\nwhen: cost_usd\nmeasure: cost_usd\nlimit: 1\n", "yaml"));
    expect(guard.details?.[0]).toMatchObject({
      path: "when",
      message: "must be a boolean, but this is double",
    });
  });

  it("rejects CEL syntax errors with a position", () => {
    const err = thrown(() => parseRule('{"name": "a", "condition": "status == \'error\' &&"}', "json"));
    expect(err.details?.[0]).toMatchObject({ path: "condition", line: 1 });
  });

  it("rejects duplicate names in one pack", () => {
    const src = pack(
      "  - name: a\n    measure: cost_usd\n    limit: 1\n  - name: a\n    condition: status == 'error'\n",
    );
    const err = thrown(() => parseRulePack(src, "yaml"));
    expect(err.details?.[0]).toMatchObject({ path: "rules.1.name", line: 5 });
  });

  it("rejects a pack without rules and a non-pack document", () => {
    expect(thrown(() => parseRulePack("rules: []\n", "yaml")).details?.[0].path).toBe("rules");
    expect(thrown(() => parseRulePack("- name: a\n", "yaml")).details?.[0].path).toBe("");
  });
});

describe("rule shape", () => {
  const bad = (yaml: string) => thrown(() => parseRule(yaml, "yaml")).details?.[0];

  it("needs either a measure with a limit or a condition", () => {
    expect(bad("name: a\n")?.message).toMatch(/measure \+ limit/);
    expect(bad("name: a\nmeasure: cost_usd\n")).toMatchObject({ path: "limit" });
    expect(bad("name: a\nmeasure: cost_usd\nlimit: 1\ncondition: 'true'\n")?.message).toMatch(/only one/);
  });

  it("rejects limit equal to baseline and a baseline on the unsafe side", () => {
    expect(bad("name: a\nmeasure: cost_usd\nlimit: 1\nbaseline: 1\n")).toMatchObject({ path: "baseline" });
    expect(bad("name: a\nmeasure: cost_usd\nlimit: 0.6\nop: '<'\n")?.message).toMatch(/above the limit/);
    expect(bad("name: a\nmeasure: cost_usd\nlimit: 1\nbaseline: 2\n")?.message).toMatch(/below the limit/);
  });

  it("rejects amber thresholds outside (0, threshold_red]", () => {
    expect(bad("name: a\nmeasure: cost_usd\nlimit: 1\nthreshold_amber: 0\n")).toMatchObject({
      path: "threshold_amber",
    });
    expect(bad("name: a\nmeasure: cost_usd\nlimit: 1\nthreshold_amber: 1.5\n")).toMatchObject({
      path: "threshold_amber",
    });
  });

  it("keeps measure options off boolean rules and warn_condition off measure rules", () => {
    expect(bad("name: a\ncondition: status == 'error'\nwarn_condition: 'true'\nop: '<'\n")).toMatchObject({
      path: "op",
    });
    expect(bad("name: a\nmeasure: cost_usd\nlimit: 1\nwarn_condition: 'true'\n")).toMatchObject({
      path: "warn_condition",
    });
  });

  it("reports a CEL mistake in condition as CEL, not as a failed Python import", () => {
    expect(bad("name: a\ncondition: usage.totl_tokens > 5\n")).toMatchObject({
      path: "condition",
      message: "No such key: totl_tokens",
      line: 2,
    });
  });

  it("accepts a numeric version and stores it as text", () => {
    expect(parseRule("name: a\nversion: 2\ncondition: status == 'error'\n", "yaml").version).toBe("2");
  });

  it("parses a single JSON rule and validates plain objects", () => {
    const def = parseRule('{"name": "a", "condition": "status == \\"error\\"", "severity": "high"}', "json");
    expect(def).toMatchObject({ condition: 'status == "error"', severity: "high" });
    expect(validateRule({ name: "a", measure: "cost_usd", limit: 2 }).limit).toBe(2);
    expect(() => validateRule({ name: "a" })).toThrow(RuleValidationError);
  });
});

describe("auto-lift", () => {
  it("turns a trailing upper bound into guard + measure + limit", () => {
    const def = parseRule("name: a\ncondition: \"status == 'ok' && usage.total_tokens >= 1000\"\n", "yaml");
    expect(def).toMatchObject({
      when: 'status == "ok"',
      measure: "usage.total_tokens",
      op: ">=",
      limit: 1000,
    });
    expect(def.condition).toBeUndefined();
  });

  it("lifts a bare comparison and the mirrored form", () => {
    expect(parseRule("name: a\ncondition: cost_usd > 0.5\n", "yaml")).toMatchObject({
      measure: "cost_usd",
      limit: 0.5,
    });
    expect(parseRule("name: a\ncondition: 3 < trace.error_count\n", "yaml")).toMatchObject({
      measure: "trace.error_count",
      op: ">",
      limit: 3,
    });
  });

  it("leaves lower bounds, zero limits, || chains and rules with warn_condition alone", () => {
    for (const condition of [
      "duration_ms < 100",
      "size(arguments) > 0",
      "status == 'error' || cost_usd > 1",
    ]) {
      expect(parseRule(`name: a\ncondition: "${condition}"\n`, "yaml").condition).toBeDefined();
    }
    const warned = parseRule("name: a\ncondition: cost_usd > 1\nwarn_condition: cost_usd > 0.5\n", "yaml");
    expect(warned.measure).toBeUndefined();
  });

  it("joins the lifted guard with an explicit when", () => {
    const def = parseRule("name: a\nwhen: status == 'ok'\ncondition: model != '' && cost_usd > 2\n", "yaml");
    expect(def.when).toBe('status == "ok" && model != ""');
  });
});

describe("ruleHash", () => {
  it("is the same for equal definitions whatever the key order, and differs when content changes", () => {
    const a = parseRule("name: a\nmeasure: cost_usd\nlimit: 1\n", "yaml");
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(ruleHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(ruleHash(reordered)).toBe(ruleHash(a));
    expect(ruleHash({ ...a, limit: 2 })).not.toBe(ruleHash(a));
  });
});
