import { type Component, createEffect, createMemo, createSignal, For, Index, on, Show } from "solid-js";
import type { Dag, DagNode, Outcome } from "../../api/traces";
import { createDagKeys } from "./dag-keys";
import {
  cull,
  type FoldOverrides,
  foldedAncestors,
  isFolded,
  layoutDag,
  NODE_HEIGHT,
  NODE_WIDTH,
  visibleNodes,
  visibleRect,
} from "./dag-layout";
import { DagNodeView } from "./dag-node";
import { DagLegend, DagToolbar } from "./dag-toolbar";
import { createViewport } from "./dag-viewport";

type Props = {
  dag: Dag;
  outcomes: ReadonlyMap<string, Outcome | null>;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
};

const FIT_MIN_ZOOM = 0.55;
const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);
const READABLE_ZOOM = 0.5;

/** The execution graph: dagre layout drawn as SVG, with folding, pan/zoom and keyboard navigation. */
export const DagView: Component<Props> = (props) => {
  let canvas: SVGSVGElement | undefined;
  const vp = createViewport(() => canvas);
  const [overrides, setOverrides] = createSignal<FoldOverrides>({});
  const byId = createMemo(() => new Map(props.dag.nodes.map((n) => [n.id, n])));
  const nodes = createMemo(() => visibleNodes(props.dag, overrides()));
  // Ids, not node objects, key the drawn nodes: a live refetch then updates them in place.
  const ids = createMemo(() => nodes().map((n) => n.id), undefined, { equals: sameIds });
  const nodeEls = new Map<string, SVGGElement>();

  let layoutStart = 0;
  const laid = createMemo(() => {
    layoutStart = performance.now();
    const result = layoutDag(nodes());
    performance.measure("dag:layout", { start: layoutStart, detail: { nodes: nodes().length } });
    return result;
  });
  createEffect(
    on(laid, () => {
      const start = layoutStart;
      const detail = { nodes: ids().length, drawn: drawnIds().length };
      performance.measure("dag:render", { start, detail });
      requestAnimationFrame(() => setTimeout(() => performance.measure("dag:paint", { start, detail })));
    }),
  );

  const folded = (n: DagNode) => isFolded(n, overrides());
  const anyFolded = () => props.dag.nodes.some(folded);

  /** Folds or unfolds a node, keeping it at the same place on screen. */
  const toggle = (id: string) => {
    const node = byId().get(id);
    if (!node || node.child_count === 0) return;
    const before = laid().positions.get(id);
    setOverrides((o) => ({ ...o, [id]: !folded(node) }));
    const after = laid().positions.get(id);
    const v = vp.view();
    if (before && after) vp.place(after.x, after.y, v.x + before.x * v.k, v.y + before.y * v.k);
  };

  const fitAll = () => vp.fit(laid());
  const initialView = () => {
    const l = laid();
    const { width, height } = vp.size();
    if (Math.min((width - 32) / l.width, (height - 32) / l.height) >= FIT_MIN_ZOOM) return fitAll();
    // Too tall to read when fitted: fit the drawn levels across, centred on the root (or the
    // selected span), and let the user pan along.
    const k = Math.max(READABLE_ZOOM, Math.min(1, (width - 48) / l.width));
    const focus = (props.selectedId && l.positions.get(props.selectedId)) || l.positions.get(ids()[0] ?? "");
    if (focus) vp.place(focus.x - NODE_WIDTH / 2, focus.y, 24, height / 2, k);
  };
  createEffect(
    on(
      () => vp.size().width > 0,
      (ready) => ready && initialView(),
      { defer: false },
    ),
  );

  // Selection made elsewhere (timeline, URL): unfold the way to the node and bring it into view.
  createEffect(
    on(
      () => props.selectedId,
      (id) => {
        if (!id || !byId().has(id)) return;
        const hiddenBy = foldedAncestors(props.dag, id, overrides());
        if (hiddenBy.length)
          setOverrides((o) => ({ ...o, ...Object.fromEntries(hiddenBy.map((a) => [a, false])) }));
        const p = laid().positions.get(id);
        const { width, height } = vp.size();
        if (p && width && !vp.isVisible(p.x, p.y, NODE_WIDTH / 2, NODE_HEIGHT / 2)) {
          vp.place(p.x, p.y, width / 2, height / 2);
        }
      },
    ),
  );

  const keys = createDagKeys({
    nodes,
    byId,
    folded,
    current: () => (props.selectedId && byId().has(props.selectedId) ? props.selectedId : ids()[0]),
    select: (id) => props.onSelect(id),
    toggle,
    zoomBy: vp.zoomBy,
    fit: fitAll,
  });
  const focusableId = createMemo(() =>
    props.selectedId && ids().includes(props.selectedId) ? props.selectedId : ids()[0],
  );
  const onScreen = createMemo(() =>
    vp.size().width ? cull(laid(), ids(), visibleRect(vp.view(), vp.size())) : { nodes: [], edges: [] },
  );
  // The selected node stays in the DOM even off screen, so keyboard focus is never dropped.
  const drawnIds = createMemo(
    () => {
      const shown = onScreen().nodes;
      const keep = props.selectedId;
      return keep && !shown.includes(keep) && ids().includes(keep) ? [...shown, keep] : shown;
    },
    [],
    { equals: sameIds },
  );
  let frame: HTMLDivElement | undefined;
  // Keyboard focus follows the selection while it is inside the graph.
  createEffect(
    on([() => props.selectedId, drawnIds], ([id]) => {
      if (!id || !frame?.contains(document.activeElement)) return;
      const el = nodeEls.get(id);
      if (el && el !== document.activeElement) el.focus({ preventScroll: true });
    }),
  );

  return (
    <div class="dag-view">
      <DagToolbar
        zoom={vp.view().k}
        onZoomIn={() => vp.zoomBy(1.25)}
        onZoomOut={() => vp.zoomBy(0.8)}
        onFit={fitAll}
        canExpand={anyFolded()}
        canReset={Object.keys(overrides()).length > 0}
        onExpandAll={() =>
          setOverrides(
            Object.fromEntries(props.dag.nodes.filter((n) => n.child_count > 0).map((n) => [n.id, false])),
          )
        }
        onReset={() => setOverrides({})}
        shown={ids().length}
        total={props.dag.nodes.length}
      />
      <div
        ref={frame}
        class="dag-frame"
        role="tree"
        aria-label="Execution graph"
        tabindex={-1}
        onKeyDown={keys}
        data-shown={ids().length}
        data-drawn={drawnIds().length}
      >
        <svg
          ref={canvas}
          class="dag-canvas"
          classList={{ animate: ids().length <= 300, far: vp.view().k < 0.4 }}
          data-testid="dag"
          {...vp.handlers}
        >
          <title>Execution graph: drag to pan, wheel to zoom</title>
          <g transform={`translate(${vp.view().x} ${vp.view().y}) scale(${vp.view().k})`}>
            <g class="dag-edges">
              <Index each={onScreen().edges}>{(edge) => <path d={edge().d} />}</Index>
            </g>
            <g class="dag-nodes">
              <For each={drawnIds()}>
                {(id) => (
                  <Show when={byId().get(id)}>
                    {(node) => (
                      <DagNodeView
                        node={node()}
                        x={laid().positions.get(id)?.x ?? 0}
                        y={laid().positions.get(id)?.y ?? 0}
                        outcome={props.outcomes.get(id) ?? null}
                        selected={props.selectedId === id}
                        folded={folded(node())}
                        focusable={focusableId() === id}
                        onSelect={(sid) => !vp.consumeDragClick() && props.onSelect(sid)}
                        onToggle={(tid) => !vp.consumeDragClick() && toggle(tid)}
                        ref={(nid, el) => nodeEls.set(nid, el)}
                      />
                    )}
                  </Show>
                )}
              </For>
            </g>
          </g>
        </svg>
      </div>
      <DagLegend />
    </div>
  );
};
