import { type Accessor, createEffect, createMemo, createSignal, on } from "solid-js";
import type { Dag, DagNode } from "../../api/traces";
import {
  cull,
  type FoldOverrides,
  foldedAncestors,
  isFolded,
  layoutDag,
  visibleNodes,
  visibleRect,
} from "./dag-layout";
import type { createViewport } from "./dag-viewport";

type Viewport = ReturnType<typeof createViewport>;

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/** Which nodes are folded: the server's choice for each, unless the reader has toggled it. */
export function createFolding(dag: Accessor<Dag>) {
  const [overrides, setOverrides] = createSignal<FoldOverrides>({});
  const folded = (n: DagNode) => isFolded(n, overrides());
  const unfold = (ids: readonly string[]) => {
    if (ids.length) setOverrides((o) => ({ ...o, ...Object.fromEntries(ids.map((id) => [id, false])) }));
  };
  return {
    overrides,
    folded,
    anyFolded: () => dag().nodes.some(folded),
    changed: () => Object.keys(overrides()).length > 0,
    flip: (n: DagNode) => setOverrides((o) => ({ ...o, [n.id]: !folded(n) })),
    /** Unfolds the folded ancestors hiding a node. */
    reveal: (id: string) => unfold(foldedAncestors(dag(), id, overrides())),
    expandAll: () =>
      setOverrides(
        Object.fromEntries(
          dag()
            .nodes.filter((n) => n.child_count > 0)
            .map((n) => [n.id, false]),
        ),
      ),
    reset: () => setOverrides({}),
  };
}

/** The nodes left visible by the folding, and their dagre layout (timed as `dag:layout`). */
export function createDagGraph(dag: Accessor<Dag>, overrides: Accessor<FoldOverrides>) {
  const byId = createMemo(() => new Map(dag().nodes.map((n) => [n.id, n])));
  const nodes = createMemo(() => visibleNodes(dag(), overrides()));
  // Ids, not node objects, key the drawn nodes: a live refetch then updates them in place.
  const ids = createMemo(() => nodes().map((n) => n.id), undefined, { equals: sameIds });
  let layoutStart = 0;
  const laid = createMemo(() => {
    layoutStart = performance.now();
    const result = layoutDag(nodes());
    performance.measure("dag:layout", { start: layoutStart, detail: { nodes: nodes().length } });
    return result;
  });
  return { byId, nodes, ids, laid, layoutStarted: () => layoutStart };
}

export type DagGraph = ReturnType<typeof createDagGraph>;

/** Times each layout's render and paint (`dag:render`, `dag:paint`), read by the end-to-end test. */
export function measureRender(graph: DagGraph, drawnCount: () => number) {
  createEffect(
    on(graph.laid, () => {
      const start = graph.layoutStarted();
      const detail = { nodes: graph.ids().length, drawn: drawnCount() };
      performance.measure("dag:render", { start, detail });
      requestAnimationFrame(() => setTimeout(() => performance.measure("dag:paint", { start, detail })));
    }),
  );
}

/**
 * The nodes and edges to put in the DOM: those on screen, plus the selected node even when it is
 * off screen, so keyboard focus is never dropped.
 */
export function createDrawn(graph: DagGraph, vp: Viewport, selectedId: () => string | undefined) {
  const onScreen = createMemo(() =>
    vp.size().width
      ? cull(graph.laid(), graph.ids(), visibleRect(vp.view(), vp.size()))
      : { nodes: [], edges: [] },
  );
  const ids = createMemo(
    () => {
      const shown = onScreen().nodes;
      const keep = selectedId();
      return keep && !shown.includes(keep) && graph.ids().includes(keep) ? [...shown, keep] : shown;
    },
    [],
    { equals: sameIds },
  );
  return { ids, edges: () => onScreen().edges };
}
