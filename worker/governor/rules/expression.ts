import type { ASTNode } from "@marcbachmann/cel-js";
import { regexProblem } from "../../lib/regex-safety";
import { ruleEnvironment } from "./environment";
import type { ExpressionProblem } from "./errors";
import { MAX_EXPRESSION_LENGTH } from "./schema";

/** What an expression is for decides the type it must have. */
export type ExpressionRole = "boolean" | "number";

const ROLE_TYPES: Record<ExpressionRole, ReadonlySet<string>> = {
  boolean: new Set(["bool", "dyn"]),
  number: new Set(["int", "uint", "double", "dyn"]),
};
const COMPREHENSIONS = new Set(["all", "exists", "exists_one", "map", "filter"]);
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

type CelError = { summary?: string; message: string; range?: { start: number } };

const problemOf = (err: CelError): ExpressionProblem => ({
  message: err.summary ?? err.message.split("\n")[0],
  offset: err.range?.start,
});

function isCelError(err: unknown): err is CelError {
  return err instanceof Error && ["ParseError", "TypeError", "EvaluationError"].includes(err.name);
}

/** Parses an expression in the rule environment; throws a problem instead of a cel-js error. */
export function parseExpression(text: string): ASTNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw problemError({ message: `expression longer than ${MAX_EXPRESSION_LENGTH} characters` });
  }
  try {
    return ruleEnvironment.parse(text).ast;
  } catch (err) {
    if (isCelError(err)) throw problemError(problemOf(err));
    throw err;
  }
}

export class ExpressionProblemError extends Error {
  constructor(readonly problem: ExpressionProblem) {
    super(problem.message);
  }
}
const problemError = (p: ExpressionProblem) => new ExpressionProblemError(p);

function children(node: ASTNode): ASTNode[] {
  switch (node.op) {
    case "value":
    case "id":
      return [];
    case ".":
    case ".?":
      return [node.args[0]];
    case "call":
      return node.args[1];
    case "rcall":
      return [node.args[1], ...node.args[2]];
    case "list":
      return node.args;
    case "map":
      return node.args.flat();
    case "!_":
    case "-_":
      return [node.args];
    default:
      return [...node.args];
  }
}

/** Safety rules the type checker does not know: regex patterns, nested loops, prototype keys. */
function staticProblem(node: ASTNode, inLoop: boolean): ExpressionProblem | null {
  const at = node.range.start;
  if ((node.op === "." || node.op === ".?") && RESERVED_KEYS.has(node.args[1])) {
    return { message: `field name '${node.args[1]}' is not allowed`, offset: at };
  }
  if ((node.op === "[]" || node.op === "[?]") && node.args[1].op === "value") {
    const key = node.args[1].args;
    if (typeof key === "string" && RESERVED_KEYS.has(key))
      return { message: `key '${key}' is not allowed`, offset: at };
  }
  if (node.op === "rcall") {
    const [name, receiver, args] = node.args;
    if (name === "matches") {
      const pattern = args[0];
      if (pattern?.op !== "value" || typeof pattern.args !== "string") {
        return { message: "matches() needs a string literal pattern", offset: at };
      }
      const why = regexProblem(pattern.args);
      if (why) return { message: `unsafe matches() pattern: ${why}`, offset: pattern.range.start };
    }
    if (COMPREHENSIONS.has(name)) {
      if (inLoop && receiver.op !== "list") {
        return {
          message: `nested ${name}() must range over a list literal (limits the work per span)`,
          offset: at,
        };
      }
      return firstProblem([receiver], inLoop) ?? firstProblem(args, true);
    }
  }
  return firstProblem(children(node), inLoop);
}

function firstProblem(nodes: ASTNode[], inLoop: boolean): ExpressionProblem | null {
  for (const child of nodes) {
    const problem = staticProblem(child, inLoop);
    if (problem) return problem;
  }
  return null;
}

/** Everything that makes an expression unfit for a rule, or null when it is fine. */
export function expressionProblem(text: string, role: ExpressionRole): ExpressionProblem | null {
  let ast: ASTNode;
  try {
    ast = parseExpression(text);
  } catch (err) {
    if (err instanceof ExpressionProblemError) return err.problem;
    throw err;
  }
  const unsafe = staticProblem(ast, false);
  if (unsafe) return unsafe;
  let checked: ReturnType<typeof ruleEnvironment.check>;
  try {
    checked = ruleEnvironment.check(text);
  } catch (err) {
    return { message: `type check failed: ${(err as Error).message.split("\n")[0]}` };
  }
  if (!checked.valid) return checked.error ? problemOf(checked.error) : { message: "type check failed" };
  const type = checked.type ?? "dyn";
  if (!ROLE_TYPES[role].has(type)) {
    return {
      message: `must be ${role === "boolean" ? "a boolean" : "a number"}, but this is ${type}`,
      offset: 0,
    };
  }
  return null;
}
