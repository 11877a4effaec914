import type { Dag, DagNode, Span, TreeSpan } from "./schemas";

export const COLLAPSE_OVER_NODES = 100;
export const COLLAPSE_DEPTH = 3;

type Tree = { roots: Span[]; children: Map<string, Span[]> };

const byStart = (a: Span, b: Span) => a.started_at.localeCompare(b.started_at) || a.id.localeCompare(b.id);

type ParentOf = (s: Span) => Span | null;

/** The spans of the loop that the ancestors of `s` end in; `s` must reach no root. */
function ancestorCycle(s: Span, parentOf: ParentOf): Span[] {
  const seen = new Set<Span>();
  let at = s;
  while (!seen.has(at)) {
    seen.add(at);
    at = parentOf(at) as Span;
  }
  const cycle = [at];
  for (let p = parentOf(at) as Span; p !== at; p = parentOf(p) as Span) cycle.push(p);
  return cycle;
}

/**
 * Spans whose parent is missing from the trace are treated as roots, so nothing is dropped; so is
 * a span that is its own parent. Spans whose parents form a cycle (a → b → a) reach no root: each
 * cycle is broken at its earliest span (then smallest id), which becomes a root without its parent
 * edge, so every span appears exactly once and the tree stays a tree.
 */
function buildTree(spans: Span[]): Tree {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const parentOf: ParentOf = (s) =>
    s.parent_id && s.parent_id !== s.id ? (byId.get(s.parent_id) ?? null) : null;
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const s of spans) {
    const parent = parentOf(s);
    if (!parent) {
      roots.push(s);
      continue;
    }
    const siblings = children.get(parent.id) ?? [];
    siblings.push(s);
    children.set(parent.id, siblings);
  }
  const reached = new Set<string>();
  const reach = (from: Span) => {
    const stack = [from];
    for (let s = stack.pop(); s; s = stack.pop()) {
      reached.add(s.id);
      for (const kid of children.get(s.id) ?? []) stack.push(kid);
    }
  };
  roots.forEach(reach);
  for (const s of spans) {
    if (reached.has(s.id)) continue;
    const root = ancestorCycle(s, parentOf).sort(byStart)[0] as Span;
    const parentId = (parentOf(root) as Span).id;
    children.set(
      parentId,
      (children.get(parentId) ?? []).filter((k) => k !== root),
    );
    roots.push(root);
    reach(root);
  }
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);
  return { roots, children };
}

/** Depth-first order with depths; iterative so deep traces cannot overflow the stack. */
export function treeOrder(spans: Span[]): TreeSpan[] {
  const { roots, children } = buildTree(spans);
  const out: TreeSpan[] = [];
  const visited = new Set<string>();
  const stack: [Span, number][] = roots.map((r): [Span, number] => [r, 0]).reverse();
  while (stack.length) {
    const [span, depth] = stack.pop() as [Span, number];
    if (visited.has(span.id)) continue;
    visited.add(span.id);
    out.push({ ...span, depth });
    const kids = children.get(span.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
  }
  return out;
}

export function toDag(spans: Span[]): Dag {
  const ordered = treeOrder(spans);
  const { children } = buildTree(spans);
  const descendants = new Map<string, number>();
  for (let i = ordered.length - 1; i >= 0; i--) {
    const s = ordered[i];
    const kids = children.get(s.id) ?? [];
    descendants.set(
      s.id,
      kids.reduce((n, k) => n + 1 + (descendants.get(k.id) ?? 0), 0),
    );
  }
  const fold = ordered.length > COLLAPSE_OVER_NODES;
  const nodes: DagNode[] = ordered.map((s) => ({
    id: s.id,
    parent_id: s.depth === 0 ? null : s.parent_id,
    type: s.type,
    name: s.name,
    status: s.status,
    started_at: s.started_at,
    duration_ms: s.duration_ms,
    depth: s.depth,
    model: s.model,
    tool_name: s.tool?.name ?? null,
    worst_outcome: s.worst_outcome,
    child_count: children.get(s.id)?.length ?? 0,
    descendant_count: descendants.get(s.id) ?? 0,
    collapsed: fold && s.depth === COLLAPSE_DEPTH && (children.get(s.id)?.length ?? 0) > 0,
    hidden: fold && s.depth > COLLAPSE_DEPTH,
  }));
  const edges = nodes
    .filter((n) => n.parent_id !== null)
    .map((n) => ({ source: n.parent_id as string, target: n.id }));
  return { nodes, edges };
}
