import { type Component, createEffect, createMemo, on } from "solid-js";
import type { Dag, Outcome } from "../../api/traces";
import { createToggle, useFollowSelection, useInitialView } from "./dag-camera";
import { DagCanvas, DagNodes } from "./dag-canvas";
import { createDagGraph, createDrawn, createFolding, measureRender } from "./dag-graph";
import { createDagKeys } from "./dag-keys";
import { DagLegend, DagToolbar } from "./dag-toolbar";
import { createViewport } from "./dag-viewport";

type Props = {
  dag: Dag;
  outcomes: ReadonlyMap<string, Outcome | null>;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
};

/** Keyboard focus follows the selection while it is inside the graph. */
function useFocusFollowsSelection(
  frame: () => HTMLElement | undefined,
  nodeEls: ReadonlyMap<string, SVGGElement>,
  selectedId: () => string | undefined,
  drawnIds: () => readonly string[],
) {
  createEffect(
    on([selectedId, drawnIds], ([id]) => {
      if (!id || !frame()?.contains(document.activeElement)) return;
      const el = nodeEls.get(id);
      if (el && el !== document.activeElement) el.focus({ preventScroll: true });
    }),
  );
}

/** The graph's state: folding, layout, viewport, what is drawn, and the keyboard. */
function createDagView(props: Props) {
  const els: { canvas?: SVGSVGElement; frame?: HTMLDivElement } = {};
  const selectedId = () => props.selectedId;
  const vp = createViewport(() => els.canvas);
  const folding = createFolding(() => props.dag);
  const graph = createDagGraph(() => props.dag, folding.overrides);
  measureRender(graph, () => drawn.ids().length);
  const toggle = createToggle(graph, folding, vp);
  const fit = () => vp.fit(graph.laid());
  useInitialView(graph, vp, selectedId);
  useFollowSelection(graph, folding, vp, selectedId);
  // The arrow keys move from the selected node, or from the first one when nothing is selected.
  const current = () =>
    props.selectedId && graph.byId().has(props.selectedId) ? props.selectedId : graph.ids()[0];
  const keys = createDagKeys({
    nodes: graph.nodes,
    byId: graph.byId,
    folded: folding.folded,
    current,
    select: (id) => props.onSelect(id),
    toggle,
    zoomBy: vp.zoomBy,
    fit,
  });
  // Tab lands on the selected node while it is visible, else on the first.
  const focusableId = createMemo(() =>
    props.selectedId && graph.ids().includes(props.selectedId) ? props.selectedId : graph.ids()[0],
  );
  const drawn = createDrawn(graph, vp, selectedId);
  const nodeEls = new Map<string, SVGGElement>();
  useFocusFollowsSelection(() => els.frame, nodeEls, selectedId, drawn.ids);
  return { els, vp, folding, graph, toggle, fit, keys, focusableId, drawn, nodeEls };
}

/** The execution graph: dagre layout drawn as SVG, with folding, pan/zoom and keyboard navigation. */
export const DagView: Component<Props> = (props) => {
  const { els, vp, folding, graph, toggle, fit, keys, focusableId, drawn, nodeEls } = createDagView(props);
  return (
    <div class="dag-view">
      <DagToolbar
        zoom={vp.view().k}
        onZoomIn={() => vp.zoomBy(1.25)}
        onZoomOut={() => vp.zoomBy(0.8)}
        onFit={fit}
        canExpand={folding.anyFolded()}
        canReset={folding.changed()}
        onExpandAll={folding.expandAll}
        onReset={folding.reset}
        shown={graph.ids().length}
        total={props.dag.nodes.length}
      />
      <DagCanvas
        frameRef={(el) => {
          els.frame = el;
        }}
        canvasRef={(el) => {
          els.canvas = el;
        }}
        onKeyDown={keys}
        shown={graph.ids().length}
        drawn={drawn.ids().length}
        view={vp.view()}
        animate={graph.ids().length <= 300}
        handlers={vp.handlers}
        edges={drawn.edges()}
      >
        <DagNodes
          ids={drawn.ids()}
          byId={graph.byId()}
          positions={graph.laid().positions}
          outcomes={props.outcomes}
          selectedId={props.selectedId}
          focusableId={focusableId()}
          folded={folding.folded}
          onSelect={(id) => !vp.consumeDragClick() && props.onSelect(id)}
          onToggle={(id) => !vp.consumeDragClick() && toggle(id)}
          nodeRef={(id, el) => nodeEls.set(id, el)}
        />
      </DagCanvas>
      <DagLegend />
    </div>
  );
};
