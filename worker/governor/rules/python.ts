/**
 * Import of Python-style conditions (the original rule format), e.g.
 * `'delete' in tool_name and len(arguments.get('files', [])) > 5`, translated once into CEL:
 * `tool_name.contains("delete") && size(arguments.?files.orValue([])) > 5`. jsep parses the
 * Python subset; this module owns jsep's global operator table (nothing else in the Worker uses it).
 */
import { serialize } from "@marcbachmann/cel-js";
import jsep from "jsep";
import { ruleEnvironment } from "./environment";

type Node = jsep.Expression;

jsep.addBinaryOp("or", 1);
jsep.addBinaryOp("and", 2);
for (const op of ["in", "not in", "is", "is not"]) jsep.addBinaryOp(op, 7);
jsep.addUnaryOp("not");
jsep.hooks.add("gobble-token", function emptyDict(env) {
  if (this.code !== 123) return; // "{": Python's empty dict, the usual .get() default
  this.index += 1;
  this.gobbleSpaces();
  if (this.char !== "}") this.throwError("only the empty dict {} is supported");
  this.index += 1;
  env.node = { type: "EmptyDict" };
});

export class PythonTranslationError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

const HINT =
  "write the condition in CEL instead (see docs/rules.md), e.g. tool_name.contains('x') && size(y) > 5";
const fail = (message: string, offset?: number): never => {
  throw new PythonTranslationError(`${message}; ${HINT}`, offset);
};

const BOOL_OPS: Record<string, string> = { and: "&&", or: "||" };
const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"]);
const PASS_OPS = new Set(["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"]);
const FUNCTIONS: Record<string, string> = {
  len: "size",
  str: "string",
  int: "int",
  float: "double",
  bool: "bool",
};
const METHODS: Record<string, string> = {
  lower: "lowerAscii",
  upper: "upperAscii",
  startswith: "startsWith",
  endswith: "endsWith",
  strip: "trim",
  find: "indexOf",
};
const NAMES: Record<string, string> = { True: "true", False: "false", None: "null" };
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const str = (n: Node, key: string): string => String(n[key]);
const sub = (n: Node, key: string): Node => n[key] as Node;
const list = (n: Node, key: string): (Node | null)[] => n[key] as (Node | null)[];

function literal(n: Node): string {
  const value = n.value;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    const integerText = /^\d+$/.test(str(n, "raw"));
    return integerText || !Number.isInteger(value) ? String(value) : `${value}.0`;
  }
  if (typeof value === "boolean" || value === null) return String(value);
  return fail("unsupported literal");
}

/** Python binds `not` looser than comparisons and arithmetic; jsep binds it like a JS `!`. */
function pullNot(n: Node): Node {
  if (str(n, "operator") in BOOL_OPS) return n;
  const path: Node[] = [n];
  while (
    sub(path[0], "left")?.type === "BinaryExpression" &&
    !(str(sub(path[0], "left"), "operator") in BOOL_OPS)
  ) {
    path.unshift(sub(path[0], "left"));
  }
  const leftmost = sub(path[0], "left");
  if (leftmost?.type !== "UnaryExpression" || leftmost.operator !== "not") return n;
  let rebuilt: Node = sub(leftmost, "argument");
  for (const parent of path) rebuilt = { ...parent, left: rebuilt };
  return { type: "UnaryExpression", operator: "not", argument: rebuilt, prefix: true };
}

/** `a in b`: substring test on strings, membership on lists and maps. */
function membership(left: string, right: string, leftIsString: boolean): string {
  const checked = ruleEnvironment.check(right);
  const type = checked.valid ? (checked.type ?? "dyn") : "dyn";
  if (type === "string") return `(${right}).contains(${left})`;
  if (type !== "dyn" || !leftIsString) return `(${left}) in (${right})`;
  return `(type(${right}) == string ? (${right}).contains(${left}) : (${left}) in (${right}))`;
}

function binary(n: Node): string {
  const op = str(n, "operator");
  const leftNode = sub(n, "left");
  if (
    COMPARISONS.has(op) &&
    leftNode.type === "BinaryExpression" &&
    COMPARISONS.has(str(leftNode, "operator"))
  ) {
    fail("chained comparisons such as 0 < x < 5 are not supported (write 0 < x and x < 5)");
  }
  const left = translate(leftNode);
  const right = translate(sub(n, "right"));
  if (op in BOOL_OPS) return `(${left}) ${BOOL_OPS[op]} (${right})`;
  if (PASS_OPS.has(op)) return `(${left}) ${op} (${right})`;
  const isStr = leftNode.type === "Literal" && typeof leftNode.value === "string";
  if (op === "in") return membership(left, right, isStr);
  if (op === "not in") return `!(${membership(left, right, isStr)})`;
  if (op === "is" || op === "is not") return `(${left}) ${op === "is" ? "==" : "!="} (${right})`;
  return fail(`operator '${op}' is not supported`);
}

function call(n: Node): string {
  const callee = sub(n, "callee");
  const args = list(n, "arguments").map((a) => translate(a as Node));
  if (callee.type === "Identifier" && str(callee, "name") in FUNCTIONS) {
    return `${FUNCTIONS[str(callee, "name")]}(${args.join(", ")})`;
  }
  if (callee.type !== "MemberExpression" || callee.computed)
    return fail("only len/str/int/float/bool calls are supported");
  const method = str(sub(callee, "property"), "name");
  const receiverNode = sub(callee, "object");
  if (receiverNode.type === "Identifier" && receiverNode.name === "re") return regexCall(method, n);
  const receiver = translate(receiverNode);
  if (method === "get") return dictGet(receiver, list(n, "arguments") as Node[]);
  if (method in METHODS) return `(${receiver}).${METHODS[method]}(${args.join(", ")})`;
  return fail(`method .${method}() is not supported`);
}

/** `d.get(k, default)` → `d.?k.orValue(default)`. */
function dictGet(receiver: string, args: Node[]): string {
  if (args.length < 1 || args.length > 2) fail(".get() takes a key and an optional default");
  const key = args[0];
  const fallback = args[1] ? translate(args[1]) : "null";
  const access =
    key.type === "Literal" && typeof key.value === "string" && IDENT.test(key.value)
      ? `.?${key.value}`
      : `[?${translate(key)}]`;
  return `(${receiver})${access}.orValue(${fallback})`;
}

function regexCall(method: string, n: Node): string {
  const [pattern, text] = list(n, "arguments") as Node[];
  if (!pattern || !text || pattern.type !== "Literal" || typeof pattern.value !== "string") {
    return fail(`re.${method}() needs a literal pattern and a text`);
  }
  if (method === "search") return `(${translate(text)}).matches(${JSON.stringify(pattern.value)})`;
  if (method === "match") return `(${translate(text)}).matches(${JSON.stringify(`^(?:${pattern.value})`)})`;
  return fail(`re.${method}() is not supported`);
}

function member(n: Node): string {
  const object = translate(sub(n, "object"));
  if (n.computed) return `(${object})[${translate(sub(n, "property"))}]`;
  return `(${object}).${str(sub(n, "property"), "name")}`;
}

function unary(n: Node): string {
  const op = str(n, "operator");
  const arg = translate(sub(n, "argument"));
  if (op === "not") return `!(${arg})`;
  if (op === "-") return `-(${arg})`;
  return fail(`operator '${op}' is not supported`);
}

function identifier(n: Node): string {
  const name = str(n, "name");
  if (name in NAMES) return NAMES[name];
  if (name === "if" || name === "else" || name === "for" || name === "lambda") {
    return fail(`'${name}' expressions are not supported (use c ? a : b in CEL)`);
  }
  return name;
}

function translate(node: Node): string {
  switch (node.type) {
    case "Literal":
      return literal(node);
    case "Identifier":
      return identifier(node);
    case "EmptyDict":
      return "{}";
    case "ArrayExpression":
      return `[${list(node, "elements")
        .map((e) => (e ? translate(e) : fail("empty list slot")))
        .join(", ")}]`;
    case "UnaryExpression":
      return unary(node);
    case "BinaryExpression": {
      const pulled = pullNot(node);
      return pulled === node ? binary(node) : unary(pulled);
    }
    case "MemberExpression":
      return member(node);
    case "CallExpression":
      return call(node);
    case "Compound":
      return fail("not one expression (an operator without operand, x if c else y, or several statements)");
    default:
      return fail(`${node.type} is not supported`);
  }
}

/** Translates a Python-style condition into CEL text; throws PythonTranslationError. */
export function pythonToCel(source: string): string {
  let ast: Node;
  try {
    ast = jsep(source);
  } catch (err) {
    const index = (err as { index?: number }).index;
    return fail(`not a Python-style condition: ${(err as Error).message}`, index);
  }
  const cel = translate(ast);
  try {
    return serialize(ruleEnvironment.parse(cel).ast);
  } catch (err) {
    return fail(`the translation does not parse as CEL: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Cheap test for text that looks like Python rather than CEL, to pick which error to report. */
export function looksLikePython(source: string): boolean {
  return /\b(and|or|not|is|True|False|None|len)\b|\.get\(/.test(source);
}
