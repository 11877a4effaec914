/** Reads YAML or JSON rule sources and maps value paths back to line and column. */
import { type Document, isMap, isScalar, type Node, parseDocument, type Scalar } from "yaml";
import { type RuleErrorDetail, RuleValidationError } from "./errors";

export type Path = (string | number)[];
export type Position = { line?: number; column?: number };
export type SourceDoc = {
  value: unknown;
  /** Where the value at `path` starts; `offset` moves into a string value, `key` points at the key. */
  locate(path: Path, opts?: { offset?: number; key?: boolean }): Position;
};

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function positionAt(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** The node at `path`, or the nearest ancestor that exists. */
function nearestNode(doc: Document, path: Path, key: boolean): Node | null {
  for (let n = path.length; n >= 0; n--) {
    const prefix = path.slice(0, n);
    if (key && n === path.length && n > 0) {
      const parent = doc.getIn(prefix.slice(0, -1), true);
      const pair = isMap(parent)
        ? parent.items.find((p) => isScalar(p.key) && p.key.value === prefix.at(-1))
        : null;
      if (pair && isScalar(pair.key)) return pair.key;
      continue;
    }
    const node = n === 0 ? doc.contents : doc.getIn(prefix, true);
    if (node && typeof node === "object" && "range" in node) return node as Node;
  }
  return null;
}

/** Offset inside the source of character `offset` of a scalar's value (exact for one-line scalars). */
function scalarOffset(text: string, node: Scalar, offset: number): number {
  const start = node.range?.[0] ?? 0;
  const value = String(node.value);
  if (node.type === "BLOCK_LITERAL") {
    const contentStart = text.indexOf("\n", start) + 1;
    const indent = /^ */.exec(text.slice(contentStart))?.[0].length ?? 0;
    const before = value.slice(0, offset).split("\n");
    const lines = lineStarts(text);
    const first = positionAt(lines, contentStart).line - 1;
    const lineStart = lines[first + before.length - 1] ?? contentStart;
    return lineStart + indent + (before.at(-1)?.length ?? 0);
  }
  if (value.includes("\n")) return start;
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
  return start + (quoted ? 1 : 0) + offset;
}

function locator(text: string, doc: Document | null): SourceDoc["locate"] {
  const starts = lineStarts(text);
  return (path, opts = {}) => {
    const node = doc ? nearestNode(doc, path, opts.key ?? false) : null;
    if (!node?.range) return {};
    const at =
      opts.offset !== undefined && isScalar(node) ? scalarOffset(text, node, opts.offset) : node.range[0];
    return positionAt(starts, at);
  };
}

function syntaxError(text: string, errors: { offset: number; message: string }[]): RuleValidationError {
  const starts = lineStarts(text);
  const details: RuleErrorDetail[] = errors
    .slice(0, 10)
    .map((e) => ({ path: "", message: e.message, ...positionAt(starts, e.offset) }));
  return new RuleValidationError(details);
}

function readJson(text: string): SourceDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const summary = message.replace(/ in JSON at position.*$/, "");
    throw syntaxError(text, [{ offset, message: `JSON syntax error: ${summary}` }]);
  }
  const doc = parseDocument(text, { prettyErrors: false });
  return { value, locate: locator(text, doc.errors.length ? null : doc) };
}

function readYaml(text: string): SourceDoc {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const errors = doc.errors.map((e) => ({
      offset: e.pos[0],
      message: `YAML syntax error: ${e.message.replace(/ at line \d+.*$/s, "")}`,
    }));
    throw syntaxError(text, errors);
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 50 }), locate: locator(text, doc) };
  } catch (err) {
    throw syntaxError(text, [{ offset: 0, message: `YAML error: ${(err as Error).message}` }]);
  }
}

export function readSource(text: string, format: "yaml" | "json"): SourceDoc {
  return format === "json" ? readJson(text) : readYaml(text);
}
