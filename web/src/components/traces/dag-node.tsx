import { type Component, Show } from "solid-js";
import type { DagNode, Outcome } from "../../api/traces";
import { SpanTypeGlyph, spanTypeLabels } from "./badges";
import { NODE_HEIGHT, NODE_WIDTH } from "./dag-layout";
import { formatDuration } from "./format";

const MAX_LABEL = 25;
const MAX_SUB = 30;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function subtitle(n: DagNode): string {
  const what = n.model ?? n.tool_name ?? spanTypeLabels[n.type];
  return clip(`${what} · ${formatDuration(n.duration_ms)}`, MAX_SUB);
}

type Props = {
  node: DagNode;
  x: number;
  y: number;
  outcome: Outcome | null;
  selected: boolean;
  folded: boolean;
  focusable: boolean;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
  ref: (id: string, el: SVGGElement) => void;
};

/** One span in the graph: icon tile by kind, border by status, outer ring by worst rule outcome. */
export const DagNodeView: Component<Props> = (props) => {
  const running = () => props.node.status === "unset" && props.node.duration_ms === null;
  const toggleText = () => (props.folded ? `+${props.node.descendant_count}` : "−");
  const toggleWidth = () => 14 + toggleText().length * 7;
  return (
    <g
      ref={(el) => props.ref(props.node.id, el)}
      class={`dag-node kind-${props.node.type} status-${running() ? "running" : props.node.status}`}
      classList={{ selected: props.selected, [`outcome-${props.outcome}`]: props.outcome !== null }}
      style={{ transform: `translate(${props.x - NODE_WIDTH / 2}px, ${props.y - NODE_HEIGHT / 2}px)` }}
      role="treeitem"
      aria-level={props.node.depth + 1}
      aria-selected={props.selected}
      aria-expanded={props.node.child_count > 0 ? !props.folded : undefined}
      aria-label={`${spanTypeLabels[props.node.type]} ${props.node.name}`}
      tabindex={props.focusable ? 0 : -1}
      data-id={props.node.id}
      onClick={(e) =>
        // The +N / − pill folds; the rest of the node selects.
        (e.target as Element).closest(".toggle")
          ? props.onToggle(props.node.id)
          : props.onSelect(props.node.id)
      }
    >
      <title>{props.node.name}</title>
      <Show when={props.outcome && props.outcome !== "pass"}>
        <rect class="ring" x={-5} y={-5} width={NODE_WIDTH + 10} height={NODE_HEIGHT + 10} rx={14} />
      </Show>
      <rect class="body" width={NODE_WIDTH} height={NODE_HEIGHT} rx={10} />
      <rect class="tile" x={10} y={10} width={32} height={32} rx={8} />
      <svg class="glyph" x={16} y={16} width={20} height={20} viewBox="0 0 24 24" aria-hidden="true">
        <SpanTypeGlyph type={props.node.type} />
      </svg>
      <text class="label" x={52} y={22}>
        {clip(props.node.name, MAX_LABEL)}
      </text>
      <text class="sub" x={52} y={39}>
        {subtitle(props.node)}
      </text>
      <Show when={props.node.status === "error"}>
        <circle class="error-dot" cx={NODE_WIDTH - 12} cy={12} r={4} />
      </Show>
      <Show when={props.node.child_count > 0}>
        {/* A pointer shortcut: keyboard users fold through the treeitem (Enter, arrow keys). */}
        <g
          class="toggle"
          classList={{ folded: props.folded }}
          transform={`translate(${NODE_WIDTH} ${NODE_HEIGHT / 2})`}
        >
          <title>
            {props.folded ? `Show ${props.node.descendant_count} hidden spans` : "Fold this subtree"}
          </title>
          <rect x={-toggleWidth() / 2} y={-10} width={toggleWidth()} height={20} rx={10} />
          <text text-anchor="middle" y={4}>
            {toggleText()}
          </text>
        </g>
      </Show>
    </g>
  );
};
