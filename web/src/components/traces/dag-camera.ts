import { createEffect, on } from "solid-js";
import type { createFolding, DagGraph } from "./dag-graph";
import { NODE_HEIGHT, NODE_WIDTH } from "./dag-layout";
import type { createViewport } from "./dag-viewport";

type Viewport = ReturnType<typeof createViewport>;
type Folding = ReturnType<typeof createFolding>;

const FIT_MIN_ZOOM = 0.55;
const READABLE_ZOOM = 0.5;

/**
 * The first view once the canvas has a size: the whole graph when it stays readable fitted;
 * otherwise the drawn levels fitted across, centred on the root (or the selected span), to pan along.
 */
export function useInitialView(graph: DagGraph, vp: Viewport, selectedId: () => string | undefined) {
  const show = () => {
    const l = graph.laid();
    const { width, height } = vp.size();
    if (Math.min((width - 32) / l.width, (height - 32) / l.height) >= FIT_MIN_ZOOM) return vp.fit(l);
    const k = Math.max(READABLE_ZOOM, Math.min(1, (width - 48) / l.width));
    const id = selectedId();
    const focus = (id && l.positions.get(id)) || l.positions.get(graph.ids()[0] ?? "");
    if (focus) vp.place(focus.x - NODE_WIDTH / 2, focus.y, 24, height / 2, k);
  };
  createEffect(
    on(
      () => vp.size().width > 0,
      (ready) => ready && show(),
      { defer: false },
    ),
  );
}

/** A selection made elsewhere (timeline, URL) unfolds the way to its node and brings it into view. */
export function useFollowSelection(
  graph: DagGraph,
  folding: Folding,
  vp: Viewport,
  selectedId: () => string | undefined,
) {
  createEffect(
    on(selectedId, (id) => {
      if (!id || !graph.byId().has(id)) return;
      folding.reveal(id);
      const p = graph.laid().positions.get(id);
      const { width, height } = vp.size();
      if (p && width && !vp.isVisible(p.x, p.y, NODE_WIDTH / 2, NODE_HEIGHT / 2)) {
        vp.place(p.x, p.y, width / 2, height / 2);
      }
    }),
  );
}

/** Folds or unfolds a node, keeping it at the same place on screen. */
export function createToggle(graph: DagGraph, folding: Folding, vp: Viewport) {
  return (id: string) => {
    const node = graph.byId().get(id);
    if (!node || node.child_count === 0) return;
    const before = graph.laid().positions.get(id);
    folding.flip(node);
    const after = graph.laid().positions.get(id);
    const v = vp.view();
    if (before && after) vp.place(after.x, after.y, v.x + before.x * v.k, v.y + before.y * v.k);
  };
}
