import { type ErrorDetail, ValidationError } from "./errors";

/** Deepest nesting of objects and arrays accepted in any JSON value, on every route. */
export const MAX_JSON_DEPTH = 64;
const MAX_REPORTED = 20;

type Visit = { value: unknown; path: string; depth: number };

const childPath = (path: string, key: string | number) =>
  path === "(root)" ? String(key) : `${path}.${String(key)}`;

/** Strings must be well-formed UTF-16: a lone surrogate cannot be stored, hashed or exported. */
function checkText(text: string, path: string, what: string, problems: ErrorDetail[]) {
  if (!text.isWellFormed()) {
    problems.push({ path, message: `${what} holds a lone UTF-16 surrogate (ill-formed Unicode)` });
  }
}

function visitObject(visit: Visit, stack: Visit[], problems: ErrorDetail[]) {
  const { value, path, depth } = visit;
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--)
      stack.push({ value: value[i], path: childPath(path, i), depth });
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const at = childPath(path, key);
    checkText(key, at, "the key", problems);
    // JSON.parse keeps "__proto__" as an own key; object spreads and zod records would drop it.
    if (key === "__proto__") problems.push({ path: at, message: "keys named __proto__ are not accepted" });
    stack.push({ value: child, path: at, depth });
  }
}

/**
 * The common case, fast: no paths built, no allocation. Recursion is bounded by `maxDepth`, so a
 * deeply nested body cannot overflow the stack.
 */
function isFine(value: unknown, depth: number, maxDepth: number): boolean {
  if (typeof value === "string") return value.isWellFormed();
  if (typeof value !== "object" || value === null) return true;
  if (depth >= maxDepth) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isFine(item, depth + 1, maxDepth)) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (key === "__proto__" || !key.isWellFormed() || !isFine(record[key], depth + 1, maxDepth)) return false;
  }
  return true;
}

/**
 * Shape problems of a parsed JSON value that no schema catches: nesting deeper than
 * MAX_JSON_DEPTH, lone surrogates in strings or keys, and `__proto__` keys. The fast check runs
 * first; paths are only worked out (iteratively) for a value that fails it.
 */
export function jsonShapeProblems(root: unknown, maxDepth = MAX_JSON_DEPTH): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (isFine(root, 0, maxDepth)) return problems;
  const stack: Visit[] = [{ value: root, path: "(root)", depth: 0 }];
  while (stack.length && problems.length < MAX_REPORTED) {
    const visit = stack.pop() as Visit;
    if (typeof visit.value === "string") checkText(visit.value, visit.path, "the text", problems);
    if (typeof visit.value !== "object" || visit.value === null) continue;
    if (visit.depth >= maxDepth) {
      problems.push({ path: visit.path, message: `nested deeper than ${maxDepth} levels` });
      continue;
    }
    visitObject({ ...visit, depth: visit.depth + 1 }, stack, problems);
  }
  return problems;
}

export function checkJsonShape(value: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const problems = jsonShapeProblems(value, maxDepth);
  if (problems.length) throw new ValidationError("The JSON body cannot be accepted as sent", problems);
}
