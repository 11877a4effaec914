/**
 * Save-time check of `matches()` patterns. cel-js runs them with the native backtracking RegExp, so
 * we accept only patterns whose backtracking per start position is bounded by a small constant:
 * no backreferences or lookaround (not RE2 either), no unbounded repetition (`*`, `+`, `{n,}` are
 * quadratic on a long text even without nesting), no repetition of a group that itself repeats or
 * alternates, and an estimated work per start position of at most MAX_COST steps. Matching time is
 * then linear in the length of the text.
 */
import { CharSet } from "./char-set";

const MAX_PATTERN_LENGTH = 256;
const MAX_REPEAT = 256;
const MAX_COST = 1_000;
const MAX_GROUP_DEPTH = 8;

type RNode =
  | { kind: "set"; set: CharSet }
  | { kind: "anchor" }
  | { kind: "group"; alts: RNode[][] }
  | { kind: "repeat"; node: RNode; min: number; max: number };

class Rejected extends Error {}

const QUANTIFIER = /^\{(\d+)(,(\d*))?\}/;
const CONTROL_ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", v: "\v", f: "\f", "0": "\0" };

class PatternParser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): RNode[][] {
    const alts = this.alternation(0);
    if (this.i < this.src.length) throw new Rejected(`unbalanced ')' at ${this.i}`);
    return alts;
  }

  private alternation(depth: number): RNode[][] {
    const alts: RNode[][] = [this.sequence(depth)];
    while (this.src[this.i] === "|") {
      this.i++;
      alts.push(this.sequence(depth));
    }
    return alts;
  }

  private sequence(depth: number): RNode[] {
    const items: RNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      items.push(this.quantified(this.atom(depth)));
    }
    return items;
  }

  private atom(depth: number): RNode {
    const ch = this.src[this.i++];
    if (ch === "(") return this.group(depth + 1);
    if (ch === "[") return { kind: "set", set: this.charClass() };
    if (ch === "\\") return this.escape();
    if (ch === "^" || ch === "$") return { kind: "anchor" };
    if (ch === ".") return { kind: "set", set: CharSet.all() };
    if ("*+?".includes(ch) || (ch === "{" && QUANTIFIER.test(this.src.slice(this.i - 1)))) {
      throw new Rejected(`nothing to repeat before '${ch}'`);
    }
    return { kind: "set", set: CharSet.of(ch) };
  }

  private group(depth: number): RNode {
    if (depth > MAX_GROUP_DEPTH) throw new Rejected(`groups nest deeper than ${MAX_GROUP_DEPTH}`);
    const rest = this.src.slice(this.i);
    if (/^\?<?[=!]/.test(rest)) throw new Rejected("lookahead and lookbehind are not supported");
    if (rest.startsWith("?:")) this.i += 2;
    else if (/^\?<[A-Za-z_]\w*>/.test(rest)) this.i = this.src.indexOf(">", this.i) + 1;
    else if (rest.startsWith("?"))
      throw new Rejected("inline flags such as (?i) are not supported; use lowerAscii()");
    const alts = this.alternation(depth);
    if (this.src[this.i++] !== ")") throw new Rejected("missing ')'");
    return { kind: "group", alts };
  }

  private escape(): RNode {
    const ch = this.src[this.i++] ?? "";
    if (/[1-9]/.test(ch) || (ch === "k" && this.src[this.i] === "<")) {
      throw new Rejected("backreferences are not supported");
    }
    if (ch === "b" || ch === "B") return { kind: "anchor" };
    return { kind: "set", set: this.escapedSet(ch) };
  }

  private escapedSet(ch: string): CharSet {
    const cls = CharSet.escapeClass(ch);
    if (cls) return cls;
    if (ch in CONTROL_ESCAPES) return CharSet.of(CONTROL_ESCAPES[ch]);
    const hex = ch === "x" ? /^[0-9a-fA-F]{2}/ : ch === "u" ? /^[0-9a-fA-F]{4}/ : null;
    const digits = hex?.exec(this.src.slice(this.i))?.[0];
    if (digits) {
      this.i += digits.length;
      const code = Number.parseInt(digits, 16);
      return CharSet.range(code, code);
    }
    return CharSet.of(ch);
  }

  private charClass(): CharSet {
    const negated = this.src[this.i] === "^";
    if (negated) this.i++;
    let set = CharSet.empty();
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== "]" || first)) {
      first = false;
      const from = this.classChar();
      if (this.src[this.i] === "-" && this.src[this.i + 1] !== "]" && this.i + 1 < this.src.length) {
        this.i++;
        const to = this.classChar();
        set = set.union(
          from.code !== null && to.code !== null ? CharSet.range(from.code, to.code) : CharSet.all(),
        );
      } else set = set.union(from.set);
    }
    if (this.src[this.i++] !== "]") throw new Rejected("missing ']'");
    return negated ? set.negate() : set;
  }

  private classChar(): { set: CharSet; code: number | null } {
    const ch = this.src[this.i++];
    if (ch !== "\\") return { set: CharSet.of(ch), code: ch.codePointAt(0) ?? null };
    const esc = this.src[this.i++] ?? "";
    if (esc === "b") return { set: CharSet.of("\b"), code: 8 };
    if (/[1-9]/.test(esc)) throw new Rejected("backreferences are not supported");
    const set = this.escapedSet(esc);
    const simple = esc.length === 1 && !CharSet.escapeClass(esc) && !"xu".includes(esc);
    return { set, code: simple ? ((CONTROL_ESCAPES[esc] ?? esc).codePointAt(0) ?? null) : null };
  }

  private quantified(node: RNode): RNode {
    const bounds = this.quantifier();
    if (!bounds) return node;
    if (this.src[this.i] === "?") this.i++;
    const [min, max] = bounds;
    if (max === Number.POSITIVE_INFINITY) {
      throw new Rejected("unbounded repetition (*, + or {n,}) is not allowed; use a bound such as {1,64}");
    }
    if (max > MAX_REPEAT || min > max)
      throw new Rejected(`repetition bounds must be 0 ≤ n ≤ m ≤ ${MAX_REPEAT}`);
    if (node.kind === "anchor") throw new Rejected("an anchor cannot be repeated");
    if (max > 1 && node.kind === "group" && (node.alts.length > 1 || node.alts.flat().some(repeats))) {
      throw new Rejected("a repeated group may not contain repetition or alternation (nested quantifier)");
    }
    if (node.kind === "repeat") throw new Rejected("nested quantifier");
    return { kind: "repeat", node, min, max };
  }

  private quantifier(): [number, number] | null {
    const ch = this.src[this.i];
    if (ch === "*" || ch === "+" || ch === "?") {
      this.i++;
      return [ch === "+" ? 1 : 0, ch === "?" ? 1 : Number.POSITIVE_INFINITY];
    }
    const m = ch === "{" ? QUANTIFIER.exec(this.src.slice(this.i)) : null;
    if (!m) return null;
    this.i += m[0].length;
    const min = Number(m[1]);
    return [min, m[2] === undefined ? min : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3])];
  }
}

/** Variable repetition inside (a fixed count such as {4} cannot backtrack). */
const repeats = (n: RNode): boolean =>
  (n.kind === "repeat" && (n.max > n.min || repeats(n.node))) ||
  (n.kind === "group" && n.alts.flat().some(repeats));

/** Characters a node can start with; null when it can match the empty string or is an anchor. */
function firstSet(n: RNode): CharSet | null {
  if (n.kind === "set") return n.set;
  if (n.kind === "repeat") return n.min > 0 ? firstSet(n.node) : null;
  if (n.kind === "anchor") return null;
  let set = CharSet.empty();
  for (const alt of n.alts) {
    const head = alt[0] ? firstSet(alt[0]) : null;
    if (!head) return null;
    set = set.union(head);
  }
  return set;
}

function cost(n: RNode): number {
  if (n.kind === "set" || n.kind === "anchor") return 1;
  if (n.kind === "repeat") return (n.max - n.min + 1) * cost(n.node);
  return n.alts.reduce((sum, alt) => sum + sequenceCost(alt), 0);
}

/** Ways to backtrack through a sequence. A repeat followed by a disjoint character ends a segment:
 * the next item fails at once on every shorter choice, so segments add instead of multiplying. */
function sequenceCost(items: RNode[]): number {
  let total = 0;
  let product = 1;
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    product *= cost(item);
    const next = items[k + 1] ? firstSet(items[k + 1]) : null;
    if (item.kind === "repeat" && item.node.kind === "set" && next && !next.intersects(item.node.set)) {
      total += product;
      product = 1;
    }
  }
  return total + product;
}

/** Returns why `pattern` is refused for matches(), or null when it is safe. */
export function regexProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters`;
  let work: number;
  try {
    work = new PatternParser(pattern).parse().reduce((sum, alt) => sum + sequenceCost(alt), 0);
  } catch (err) {
    return err instanceof Rejected ? err.message : "pattern could not be analysed";
  }
  try {
    new RegExp(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  return work > MAX_COST
    ? `pattern may backtrack too much (${work} steps per position, max ${MAX_COST})`
    : null;
}
