/** Turns one authored rule (already read from YAML/JSON) into its stored CEL form, or problems. */

import type { z } from "@hono/zod-openapi";
import { serialize } from "@marcbachmann/cel-js";
import { ruleEnvironment } from "./environment";
import type { ExpressionProblem } from "./errors";
import { type ExpressionRole, expressionProblem } from "./expression";
import { liftCondition } from "./lift";
import { looksLikePython, PythonTranslationError, pythonToCel } from "./python";
import { RULE_DEFAULTS, type RuleDefinition, RuleInput } from "./schema";
import type { Path } from "./source";

export type Problem = { path: Path; message: string; offset?: number; key?: boolean };
type Outcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const MEASURE_ONLY = ["op", "baseline", "threshold_amber", "threshold_red"] as const;

function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ path: [...path, k], message: `unknown field '${k}'`, key: true }));
    }
    return [{ path, message: issue.message }];
  });
}

/** Checks one expression field; offsets are shifted past the whitespace that was trimmed. */
function checkField(raw: string, field: string, role: ExpressionRole, problems: Problem[]): string {
  const text = raw.trim();
  const problem = expressionProblem(text, role);
  if (problem) {
    const lead = raw.length - raw.trimStart().length;
    const offset = problem.offset === undefined ? undefined : problem.offset + lead;
    problems.push({ path: [field], message: problem.message, offset });
  }
  return text;
}

type Translation = { cel: string } | { problem: ExpressionProblem };

function translatePython(text: string): Translation {
  try {
    const cel = pythonToCel(text);
    const problem = expressionProblem(cel, "boolean");
    return problem
      ? { problem: { message: `translated to CEL \`${cel}\`, which is invalid: ${problem.message}` } }
      : { cel };
  } catch (err) {
    if (!(err instanceof PythonTranslationError)) throw err;
    return { problem: { message: err.message, offset: err.offset } };
  }
}

/**
 * CEL for `python_condition`, or for `condition`: taken as CEL when it checks, else as Python when
 * that translates. Errors come from whichever language the text looks like it was written in.
 */
function resolveCondition(input: RuleInput, problems: Problem[]): string | undefined {
  const raw = input.python_condition ?? input.condition;
  if (raw === undefined) return undefined;
  const field = input.python_condition !== undefined ? "python_condition" : "condition";
  const text = raw.trim();
  const asCel = field === "condition" ? expressionProblem(text, "boolean") : null;
  if (field === "condition" && !asCel) return text;
  const python = translatePython(text);
  if ("cel" in python) return python.cel;
  const problem = asCel && !looksLikePython(text) ? asCel : python.problem;
  const lead = raw.length - raw.trimStart().length;
  problems.push({
    path: [field],
    message: problem.message,
    offset: problem.offset === undefined ? undefined : problem.offset + lead,
  });
  return undefined;
}

function andGuards(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a ?? b;
  return serialize(ruleEnvironment.parse(`(${a}) && (${b})`).ast);
}

type Shape = Pick<RuleDefinition, "when" | "measure" | "limit" | "op" | "condition" | "warn_condition">;

function measureShape(input: RuleInput, when: string | undefined, problems: Problem[]): Shape {
  const measure = checkField(input.measure ?? "", "measure", "number", problems);
  if (input.limit === undefined)
    problems.push({ path: ["limit"], message: "limit is required with measure" });
  if (input.warn_condition !== undefined) {
    const message = "warn_condition goes with condition; measure rules use threshold_amber";
    problems.push({ path: ["warn_condition"], message, key: true });
  }
  return { when, measure, limit: input.limit, op: input.op };
}

/** A boolean rule, lifted to a measure when its condition ends in an upper bound (and has no warn). */
function conditionShape(input: RuleInput, when: string | undefined, problems: Problem[]): Shape {
  const condition = resolveCondition(input, problems);
  const rawWarn = input.warn_condition;
  const warn = rawWarn === undefined ? undefined : checkField(rawWarn, "warn_condition", "boolean", problems);
  const lifted = condition && !warn ? liftCondition(condition) : null;
  if (lifted) {
    return {
      when: andGuards(when, lifted.when),
      measure: lifted.measure,
      limit: lifted.limit,
      op: lifted.op,
    };
  }
  if (input.limit !== undefined)
    problems.push({ path: ["limit"], message: "limit goes with measure", key: true });
  return { when, condition, warn_condition: warn };
}

function shapeOf(input: RuleInput, problems: Problem[]): Shape | null {
  const kinds = (["measure", "condition", "python_condition"] as const).filter((k) => input[k] !== undefined);
  if (kinds.length !== 1) {
    const message = kinds.length
      ? `use only one of ${kinds.join(", ")}`
      : "a rule needs measure + limit, or a boolean condition";
    problems.push({ path: kinds.length ? [kinds[1]] : [], message, key: kinds.length > 1 });
    return null;
  }
  const when = input.when === undefined ? undefined : checkField(input.when, "when", "boolean", problems);
  return input.measure !== undefined
    ? measureShape(input, when, problems)
    : conditionShape(input, when, problems);
}

function scaleProblems(def: RuleDefinition): Problem[] {
  const { limit = 0, baseline = 0, op = ">", threshold_amber = 0.8, threshold_red = 1 } = def;
  const problems: Problem[] = [];
  const upper = op === ">" || op === ">=";
  if (limit === baseline) problems.push({ path: ["baseline"], message: "baseline must differ from limit" });
  else if (upper ? baseline > limit : baseline < limit) {
    const side = upper ? "below" : "above";
    problems.push({
      path: ["baseline"],
      message: `with op '${op}' the baseline (the safe end, score 0) must be ${side} the limit`,
    });
  }
  if (!(threshold_red > 0))
    problems.push({ path: ["threshold_red"], message: "threshold_red must be above 0" });
  if (!(threshold_amber > 0 && threshold_amber <= threshold_red)) {
    problems.push({
      path: ["threshold_amber"],
      message: "threshold_amber must be above 0 and at most threshold_red",
    });
  }
  return problems;
}

function assemble(input: RuleInput, shape: Shape): RuleDefinition {
  const d = RULE_DEFAULTS;
  const scale = shape.measure !== undefined;
  const def: RuleDefinition = {
    name: input.name,
    description: input.description ?? "",
    version: input.version ?? d.version,
    target_span_type: input.target_span_type ?? d.target_span_type,
    when: shape.when,
    measure: shape.measure,
    limit: shape.limit,
    op: scale ? (shape.op ?? input.op ?? d.op) : undefined,
    baseline: scale ? (input.baseline ?? d.baseline) : undefined,
    threshold_amber: scale ? (input.threshold_amber ?? d.threshold_amber) : undefined,
    threshold_red: scale ? (input.threshold_red ?? d.threshold_red) : undefined,
    condition: shape.condition,
    warn_condition: shape.warn_condition,
    policy_group: input.policy_group ?? d.policy_group,
    severity: input.severity ?? d.severity,
    enabled: input.enabled ?? d.enabled,
  };
  return Object.fromEntries(Object.entries(def).filter(([, v]) => v !== undefined)) as RuleDefinition;
}

export function normalizeRule(raw: unknown): Outcome<RuleDefinition> {
  const parsed = RuleInput.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const input = parsed.data;
  const problems: Problem[] = [];
  const shape = shapeOf(input, problems);
  if (!shape || problems.length) return { ok: false, problems };
  if (shape.measure === undefined) {
    for (const k of MEASURE_ONLY) {
      if (input[k] !== undefined) problems.push({ path: [k], message: `${k} goes with measure`, key: true });
    }
  }
  const def = assemble(input, shape);
  if (def.measure !== undefined) problems.push(...scaleProblems(def));
  return problems.length ? { ok: false, problems } : { ok: true, value: def };
}
