/** One leaf of a before/after comparison, keyed by its path (`limits.daily`, `tags[1]`). */
export type DiffRow = {
  path: string;
  kind: "added" | "removed" | "changed" | "same";
  before?: unknown;
  after?: unknown;
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Objects and arrays with something in them are walked into; everything else is one value. */
const isBranch = (v: unknown) =>
  (isObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0);

const childPath = (base: string, key: string, array: boolean) =>
  array ? `${base}[${key}]` : base ? `${base}.${key}` : key;

const keysOf = (v: unknown) => (isBranch(v) ? Object.keys(v as object) : []);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

type Side = { has: boolean; value: unknown };

/**
 * Walks both sides together: into a key only while both sides there are objects (or arrays), or one
 * side is absent. Where one side is a value and the other an object (`null` → `{…}`), the key is
 * one change, not a removal plus additions.
 */
function walk(path: string, a: Side, b: Side, out: DiffRow[]): void {
  const bothBranches =
    a.has &&
    b.has &&
    isBranch(a.value) &&
    isBranch(b.value) &&
    Array.isArray(a.value) === Array.isArray(b.value);
  const onlyBranch = (a.has && !b.has && isBranch(a.value)) || (b.has && !a.has && isBranch(b.value));
  if (bothBranches || onlyBranch) {
    const array = Array.isArray(a.has ? a.value : b.value);
    const av = a.value as Record<string, unknown>;
    const bv = b.value as Record<string, unknown>;
    for (const key of [...new Set([...keysOf(a.value), ...keysOf(b.value)])]) {
      walk(
        childPath(path, key, array),
        { has: a.has && Object.hasOwn(av ?? {}, key), value: av?.[key] },
        { has: b.has && Object.hasOwn(bv ?? {}, key), value: bv?.[key] },
        out,
      );
    }
    return;
  }
  const at = path || "(value)";
  if (!a.has) out.push({ path: at, kind: "added", after: b.value });
  else if (!b.has) out.push({ path: at, kind: "removed", before: a.value });
  else
    out.push({
      path: at,
      kind: same(a.value, b.value) ? "same" : "changed",
      before: a.value,
      after: b.value,
    });
}

/**
 * Key-by-key comparison of `changes.before` and `changes.after`. A null or missing side means the
 * object was created (everything added) or deleted (everything removed). Rows keep the order keys
 * first appear in, before's keys first.
 */
export function diffChanges(before: unknown, after: unknown): DiffRow[] {
  const out: DiffRow[] = [];
  const a: Record<string, unknown> = isObject(before) ? before : {};
  const b: Record<string, unknown> = isObject(after) ? after : {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    walk(
      key,
      { has: Object.hasOwn(a, key), value: a[key] },
      { has: Object.hasOwn(b, key), value: b[key] },
      out,
    );
  }
  return out;
}

/** A value as one line: strings as they are, everything else as JSON. */
export function showValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  return JSON.stringify(v);
}
