import { graphlib, layout } from "@dagrejs/dagre";
import type { Dag, DagNode } from "../../api/traces";

export const NODE_WIDTH = 236;
export const NODE_HEIGHT = 52;

/** User overrides of the server's folding: true folds a node, false unfolds it. */
export type FoldOverrides = Readonly<Record<string, boolean>>;

export const isFolded = (n: DagNode, overrides: FoldOverrides) =>
  n.child_count > 0 && (overrides[n.id] ?? n.collapsed);

/**
 * The nodes to draw: roots, and the children of drawn nodes that are not folded. Relies on the
 * API's depth-first order (a parent always precedes its children), so it is one pass.
 */
export function visibleNodes(dag: Dag, overrides: FoldOverrides): DagNode[] {
  const open = new Set<string>();
  const shown = new Set<string>();
  const out: DagNode[] = [];
  for (const n of dag.nodes) {
    if (n.parent_id !== null && !open.has(n.parent_id)) continue;
    if (n.parent_id !== null && !shown.has(n.parent_id)) continue;
    shown.add(n.id);
    out.push(n);
    if (!isFolded(n, overrides)) open.add(n.id);
  }
  return out;
}

/** The folded ancestors hiding a node, so selecting it elsewhere can unfold its way to it. */
export function foldedAncestors(dag: Dag, id: string, overrides: FoldOverrides): string[] {
  const byId = new Map(dag.nodes.map((n) => [n.id, n]));
  const out: string[] = [];
  for (let n = byId.get(id); n?.parent_id; n = byId.get(n.parent_id)) {
    const parent = byId.get(n.parent_id);
    if (parent && isFolded(parent, overrides)) out.push(parent.id);
  }
  return out;
}

export type DagLayout = {
  /** Centre of each drawn node. */
  positions: Map<string, { x: number; y: number }>;
  /** Keyed by the child's id; the box lets edges off screen be skipped. */
  edges: Edge[];
  width: number;
  height: number;
};

export type Edge = { id: string; d: string; x1: number; y1: number; x2: number; y2: number };

type Label = {
  width: number;
  height: number;
  rank?: number;
  order?: number;
  dummy?: string;
  edgeObj?: { w: string };
};

/**
 * Lays the tree out left to right with dagre. A tree's ranks and crossing-free order are known, so
 * both are handed to dagre instead of letting it search for them (network simplex and the
 * crossing-reduction sweeps are most of its time on 1,000 nodes); dagre still positions everything.
 */
export function layoutDag(nodes: readonly DagNode[]): DagLayout {
  const depth = new Map<string, number>();
  const order = new Map<string, number>();
  const perDepth: number[] = [];
  for (const n of nodes) {
    depth.set(n.id, n.depth);
    const next = perDepth[n.depth] ?? 0;
    order.set(n.id, next);
    perDepth[n.depth] = next + 1;
  }
  const g = new graphlib.Graph<Record<string, unknown>, Label>();
  g.setGraph({
    rankdir: "LR",
    nodesep: 14,
    ranksep: 64,
    marginx: 24,
    marginy: 24,
    // dagre doubles every edge's length to leave room for labels, hence rank = 2 × depth.
    ranker: (ig: graphlib.Graph) => {
      for (const v of ig.nodes()) (ig.node(v) as Label).rank = (depth.get(v) ?? 0) * 2;
    },
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const n of nodes) if (n.parent_id !== null && depth.has(n.parent_id)) g.setEdge(n.parent_id, n.id);
  layout(g, {
    customOrder: (ig) => {
      for (const v of ig.nodes()) {
        const label = ig.node(v) as Label;
        // The dummy node in the middle of an edge sits in its child's slot.
        label.order = order.get(label.dummy && label.edgeObj ? label.edgeObj.w : v) ?? 0;
      }
    },
  });
  const positions = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const label = g.node(n.id) as Label & { x: number; y: number };
    positions.set(n.id, { x: label.x, y: label.y });
  }
  const edges = nodes.flatMap((n) => {
    const from = n.parent_id === null ? undefined : positions.get(n.parent_id);
    const to = positions.get(n.id);
    if (!from || !to) return [];
    const x1 = from.x + NODE_WIDTH / 2;
    const x2 = to.x - NODE_WIDTH / 2;
    const mid = (x1 + x2) / 2;
    const d = `M${x1} ${from.y}C${mid} ${from.y} ${mid} ${to.y} ${x2} ${to.y}`;
    return [{ id: n.id, d, x1, y1: Math.min(from.y, to.y), x2, y2: Math.max(from.y, to.y) }];
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { positions, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}

type Rect = { x0: number; y0: number; x1: number; y1: number };

/** The part of the graph on screen (plus a margin), in graph coordinates. */
export function visibleRect(
  view: { x: number; y: number; k: number },
  size: { width: number; height: number },
  marginPx = 160,
): Rect {
  const m = marginPx / view.k;
  return {
    x0: -view.x / view.k - m,
    y0: -view.y / view.k - m,
    x1: (size.width - view.x) / view.k + m,
    y1: (size.height - view.y) / view.k + m,
  };
}

/**
 * Only what is on screen is put in the DOM: drawing and painting cost follow the viewport, not
 * the trace, so a 1,000-node graph pans as smoothly as a 10-node one.
 */
export function cull(layout: DagLayout, ids: readonly string[], r: Rect) {
  const hw = NODE_WIDTH / 2;
  const hh = NODE_HEIGHT / 2;
  const nodes = ids.filter((id) => {
    const p = layout.positions.get(id);
    return !!p && p.x + hw >= r.x0 && p.x - hw <= r.x1 && p.y + hh >= r.y0 && p.y - hh <= r.y1;
  });
  const edges = layout.edges.filter((e) => e.x2 >= r.x0 && e.x1 <= r.x1 && e.y2 >= r.y0 && e.y1 <= r.y1);
  return { nodes, edges };
}
