import { describe, expect, it } from "vitest";
import { parseRule } from "../../../worker/governor/rules/parse";
import { pythonToCel } from "../../../worker/governor/rules/python";
import { evaluate, thrown, toolSpan } from "./spans";

const SEED = "'delete' in tool_name and len(arguments.get('files', [])) > 5";

describe("Python-style import", () => {
  it("translates the seed rule to CEL", () => {
    expect(pythonToCel(SEED)).toBe('tool_name.contains("delete") && size(arguments.?files.orValue([])) > 5');
  });

  it("auto-lifts the seed: amber at 4–5 files, red at 6, not applicable for other tools", () => {
    const def = parseRule(`name: no_bulk_delete\npython_condition: "${SEED}"\n`, "yaml");
    expect(def).toMatchObject({
      when: 'tool_name.contains("delete")',
      measure: "size(arguments.?files.orValue([]))",
      limit: 5,
      op: ">",
    });
    expect(def).not.toHaveProperty("python_condition");
    const files = (n: number) =>
      toolSpan("delete_files", { files: Array.from({ length: n }, (_, i) => `f${i}`) });
    expect(evaluate(def, files(3)).outcome).toBe("pass");
    expect(evaluate(def, files(4)).outcome).toBe("amber");
    expect(evaluate(def, files(5)).outcome).toBe("amber");
    expect(evaluate(def, files(6)).outcome).toBe("red");
    expect(evaluate(def, toolSpan("list_files", { files: [] })).outcome).toBe("not_applicable");
  });

  it("detects Python in `condition` when it is not CEL", () => {
    const def = parseRule(`name: a\ncondition: "${SEED}"\n`, "yaml");
    expect(def.measure).toBe("size(arguments.?files.orValue([]))");
  });

  it("translates and/or/not with Python precedence, True/False/None and methods", () => {
    expect(pythonToCel("not status == 'ok' and model is not None")).toBe(
      '!(status == "ok") && model != null',
    );
    expect(pythonToCel("tool_name.lower().startswith('rm') or True")).toBe(
      'tool_name.lowerAscii().startsWith("rm") || true',
    );
    expect(pythonToCel("arguments.get('opts', {}).get('force', False)")).toBe(
      "arguments.?opts.orValue({}).?force.orValue(false)",
    );
    expect(pythonToCel("model not in ['gpt-4o', 'o3']")).toBe('!(model in ["gpt-4o", "o3"])');
    expect(pythonToCel("re.search('DROP TABLE', str(arguments))")).toBe(
      'string(arguments).matches("DROP TABLE")',
    );
    expect(pythonToCel("float(cost_usd) > 1.0")).toBe("double(cost_usd) > 1.0");
  });

  it("picks substring or membership for `in` from the right-hand type", () => {
    expect(pythonToCel("'x' in input_text")).toBe('input_text.contains("x")');
    expect(pythonToCel("'admin' in attributes.get('roles', [])")).toMatch(/^type\(/);
  });

  it("rejects what it cannot translate, saying how to write it in CEL", () => {
    for (const src of ["0 < cost_usd < 5", "a if b else c", "any(x for x in y)", "arguments.pop('x')"]) {
      const err = thrown(() => parseRule(`name: a\npython_condition: "${src}"\n`, "yaml"));
      expect(err.details?.[0].path).toBe("python_condition");
      expect(err.details?.[0].message).toMatch(/CEL/);
    }
  });

  it("reports a translation that does not type-check", () => {
    const err = thrown(() => parseRule(`name: a\npython_condition: "len(tool_name) + 'x' > 1"\n`, "yaml"));
    expect(err.details?.[0].message).toMatch(/translated to CEL/);
  });
});
