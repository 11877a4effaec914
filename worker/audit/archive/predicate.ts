/**
 * `filterSql` as a JS predicate, for events read back from archive objects. Each branch mirrors
 * the SQL it stands for, including SQLite's comparison rules for `field=` conditions and what the
 * FTS5 `unicode61 remove_diacritics 2` tokenizer makes of `q`. Call `filterSql` first: it rejects
 * bad input with the same 400 the live routes give.
 */
import type { AuditEvent, AuditFilters } from "../schemas";

type Predicate = (e: AuditEvent) => boolean;

const RISK_ORDER = ["none", "low", "medium", "high"];

const FIELD =
  /^((?:metadata|changes|ai|error|approval|correlation|actor)(?:\.[A-Za-z0-9_-]{1,40}){0,6})\s*(!=|>=|<=|=|>|<)\s*(.{0,200})$/;

/** The value json_extract would return: objects and arrays as JSON text, booleans as 0/1. */
type SqlValue = number | string | null;

function jsonExtract(e: AuditEvent, path: string[]): SqlValue {
  let node: unknown = e;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return null;
    node = (node as Record<string, unknown>)[key];
  }
  if (node === undefined || node === null) return null;
  if (typeof node === "boolean") return node ? 1 : 0;
  if (typeof node === "number" || typeof node === "string") return node;
  return JSON.stringify(node);
}

/** SQLite's order for values without affinity: numbers before text; text compares as UTF-8 bytes. */
function sqlCompare(a: number | string, b: number | string): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  const ca = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const cb = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    if (ca[i] !== cb[i]) return (ca[i] ?? 0) - (cb[i] ?? 0);
  }
  return ca.length - cb.length;
}

const OPS: Record<string, (c: number) => boolean> = {
  "=": (c) => c === 0,
  "!=": (c) => c !== 0,
  ">": (c) => c > 0,
  ">=": (c) => c >= 0,
  "<": (c) => c < 0,
  "<=": (c) => c <= 0,
};

function fieldPredicate(raw: string): Predicate {
  const m = FIELD.exec(raw.trim());
  if (!m) return () => false; // filterSql has already refused it
  const [, path = "", op = "=", value = ""] = m;
  const numeric = value.trim() !== "" && Number.isFinite(Number(value));
  const param = numeric ? Number(value) : value;
  const test = OPS[op] ?? (() => false);
  const keys = path.split(".");
  return (e) => {
    const v = jsonExtract(e, keys);
    return v !== null && test(sqlCompare(v, param));
  };
}

/** unicode61 with remove_diacritics 2: letters and digits (and private use) only, folded. */
function tokens(text: string): string[] {
  return (
    text
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []
  );
}

/** The text the FTS trigger indexes, in the same order (concat_ws skips nulls). */
function searchText(e: AuditEvent): string {
  const targets = e.target.map((t) => [t.type, t.id, t.name].filter((x) => x != null).join(" ")).join(" ");
  return [
    e.event_type,
    e.actor.id,
    e.actor.display,
    e.reason,
    e.ai?.tool_name,
    e.ai?.conversation_id,
    e.ai?.prompt,
    e.error?.message,
    e.target.length ? targets : null,
  ]
    .filter((x) => x != null)
    .join(" ");
}

function containsPhrase(doc: string[], phrase: string[]): boolean {
  if (!phrase.length) return true;
  outer: for (let i = 0; i + phrase.length <= doc.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (doc[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** ftsQuery quotes each term, so each is a phrase of its tokens; terms are ANDed. */
function textPredicate(q: string): Predicate | null {
  const terms = q.match(/[\p{L}\p{N}_@.:-]+/gu) ?? [];
  if (!terms.length) return null;
  const phrases = terms.map(tokens);
  return (e) => {
    const doc = tokens(searchText(e));
    return phrases.every((p) => containsPhrase(doc, p));
  };
}

function typePredicate(types: string[]): Predicate {
  return (e) =>
    types.some((t) => (t.endsWith(".*") ? e.event_type.startsWith(t.slice(0, -1)) : e.event_type === t));
}

export function eventPredicate(f: AuditFilters): Predicate {
  const tests: Predicate[] = [];
  if (f.from) {
    const from = Date.parse(f.from);
    tests.push((e) => Date.parse(e.occurred_at) >= from);
  }
  if (f.to) {
    const to = Date.parse(f.to);
    tests.push((e) => Date.parse(e.occurred_at) < to);
  }
  if (f.event_type?.length) tests.push(typePredicate(f.event_type));
  if (f.actor) tests.push((e) => e.actor.id === f.actor);
  if (f.actor_type) tests.push((e) => e.actor.type === f.actor_type);
  if (f.user) {
    tests.push((e) => (e.on_behalf_of ?? (e.actor.type === "user" ? e.actor.id : null)) === f.user);
  }
  if (f.tool_name) tests.push((e) => e.ai?.tool_name === f.tool_name);
  if (f.conversation_id) tests.push((e) => e.ai?.conversation_id === f.conversation_id);
  if (f.outcome) tests.push((e) => e.outcome === f.outcome);
  if (f.risk) {
    const min = RISK_ORDER.indexOf(f.risk);
    tests.push((e) => RISK_ORDER.indexOf(e.risk.level) >= min);
  }
  if (f.target) tests.push((e) => e.target.some((t) => t.id === f.target));
  const text = f.q ? textPredicate(f.q) : null;
  if (text) tests.push(text);
  for (const raw of f.field) tests.push(fieldPredicate(raw));
  return (e) => tests.every((t) => t(e));
}
