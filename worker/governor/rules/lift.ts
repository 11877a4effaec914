import { type ASTNode, serialize } from "@marcbachmann/cel-js";
import { ruleEnvironment } from "./environment";
import { parseExpression } from "./expression";

/** A boolean condition rewritten as guard + measure + limit, so that it gains an amber band. */
export type LiftedCondition = { when?: string; measure: string; op: ">" | ">="; limit: number };

const NUMERIC = new Set(["int", "uint", "double", "dyn"]);
const FLIPPED: Record<string, ">" | ">=" | undefined> = { "<": ">", "<=": ">=" };

function positiveLiteral(node: ASTNode): number | null {
  if (node.op !== "value") return null;
  const v = node.args;
  const n = typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** `M > K`, `M >= K`, or the mirrored `K < M`, `K <= M`, with K a positive number literal. */
function upperBound(node: ASTNode): { measure: ASTNode; op: ">" | ">="; limit: number } | null {
  if (node.op === ">" || node.op === ">=") {
    const limit = positiveLiteral(node.args[1]);
    return limit === null ? null : { measure: node.args[0], op: node.op, limit };
  }
  const op = FLIPPED[node.op];
  if (op && (node.op === "<" || node.op === "<=")) {
    const limit = positiveLiteral(node.args[0]);
    return limit === null ? null : { measure: node.args[1], op, limit };
  }
  return null;
}

/**
 * Lifts `A && B && M op K` (or a bare `M op K`) into when `A && B`, measure M, limit K. Only upper
 * bounds with K > 0 lift: the default baseline 0 must be the safe end. Null when the shape differs.
 */
export function liftCondition(condition: string): LiftedCondition | null {
  const ast = parseExpression(condition);
  const guard = ast.op === "&&" ? ast.args[0] : null;
  const bound = upperBound(ast.op === "&&" ? ast.args[1] : ast);
  if (!bound) return null;
  const measure = serialize(bound.measure);
  const checked = ruleEnvironment.check(measure);
  if (!checked.valid || !NUMERIC.has(checked.type ?? "")) return null;
  return {
    ...(guard ? { when: serialize(guard) } : {}),
    measure,
    op: bound.op,
    limit: bound.limit,
  };
}
