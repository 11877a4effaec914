import { type Component, For, Index, type JSX, Show } from "solid-js";
import type { DagNode, Outcome } from "../../api/traces";
import type { Edge } from "./dag-layout";
import { DagNodeView } from "./dag-node";
import type { createViewport, View } from "./dag-viewport";

type CanvasProps = {
  frameRef: (el: HTMLDivElement) => void;
  canvasRef: (el: SVGSVGElement) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  /** Nodes left visible by the folding, and how many of them are in the DOM (read by tests). */
  shown: number;
  drawn: number;
  view: View;
  /** Nodes glide to their new place after a fold, while there are few enough to animate. */
  animate: boolean;
  handlers: ReturnType<typeof createViewport>["handlers"];
  edges: readonly Edge[];
  children: JSX.Element;
};

/** The graph's tree frame (keyboard) around the pannable, zoomable SVG: edges, then nodes on top. */
export const DagCanvas: Component<CanvasProps> = (props) => (
  <div
    ref={props.frameRef}
    class="dag-frame"
    role="tree"
    aria-label="Execution graph"
    tabindex={-1}
    onKeyDown={(e) => props.onKeyDown(e)}
    data-shown={props.shown}
    data-drawn={props.drawn}
  >
    <svg
      ref={props.canvasRef}
      class="dag-canvas"
      classList={{ animate: props.animate, far: props.view.k < 0.4 }}
      data-testid="dag"
      {...props.handlers}
    >
      <title>Execution graph: drag to pan, wheel to zoom</title>
      <g transform={`translate(${props.view.x} ${props.view.y}) scale(${props.view.k})`}>
        <g class="dag-edges">
          <Index each={props.edges}>{(edge) => <path d={edge().d} />}</Index>
        </g>
        <g class="dag-nodes">{props.children}</g>
      </g>
    </svg>
  </div>
);

type NodesProps = {
  ids: readonly string[];
  byId: ReadonlyMap<string, DagNode>;
  positions: ReadonlyMap<string, { x: number; y: number }>;
  outcomes: ReadonlyMap<string, Outcome | null>;
  selectedId: string | undefined;
  /** The one node reachable with Tab; the arrow keys move from there. */
  focusableId: string | undefined;
  folded: (node: DagNode) => boolean;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
  nodeRef: (id: string, el: SVGGElement) => void;
};

export const DagNodes: Component<NodesProps> = (props) => (
  <For each={props.ids}>
    {(id) => (
      <Show when={props.byId.get(id)}>
        {(node) => (
          <DagNodeView
            node={node()}
            x={props.positions.get(id)?.x ?? 0}
            y={props.positions.get(id)?.y ?? 0}
            outcome={props.outcomes.get(id) ?? null}
            selected={props.selectedId === id}
            folded={props.folded(node())}
            focusable={props.focusableId === id}
            onSelect={props.onSelect}
            onToggle={props.onToggle}
            ref={props.nodeRef}
          />
        )}
      </Show>
    )}
  </For>
);
