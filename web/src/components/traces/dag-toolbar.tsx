import { type Component, Show } from "solid-js";
import { formatCount } from "./format";

type Props = {
  zoom: number;
  onZoomIn: () => void;
  onZoomOut: () => void;
  onFit: () => void;
  canExpand: boolean;
  canReset: boolean;
  onExpandAll: () => void;
  onReset: () => void;
  shown: number;
  total: number;
};

export const DagToolbar: Component<Props> = (props) => (
  <div class="dag-toolbar">
    <span class="muted dag-count">
      <Show when={props.shown < props.total} fallback={`${formatCount(props.total)} spans`}>
        {formatCount(props.shown)} of {formatCount(props.total)} spans shown
      </Show>
    </span>
    <div class="button-group">
      <Show when={props.canExpand}>
        <button type="button" class="button small secondary" onClick={() => props.onExpandAll()}>
          Expand all
        </button>
      </Show>
      <Show when={props.canReset}>
        <button type="button" class="button small ghost" onClick={() => props.onReset()}>
          Reset folding
        </button>
      </Show>
    </div>
    <div class="button-group zoom-controls">
      <button
        type="button"
        class="button small secondary icon-button"
        aria-label="Zoom out"
        onClick={() => props.onZoomOut()}
      >
        −
      </button>
      <span class="zoom-level" aria-live="polite">
        {Math.round(props.zoom * 100)}%
      </span>
      <button
        type="button"
        class="button small secondary icon-button"
        aria-label="Zoom in"
        onClick={() => props.onZoomIn()}
      >
        +
      </button>
      <button type="button" class="button small secondary" onClick={() => props.onFit()}>
        Fit
      </button>
    </div>
  </div>
);

export const DagLegend: Component = () => (
  <div class="dag-legend" aria-hidden="true">
    <span>
      <i class="legend-swatch status-error" /> failed span
    </span>
    <span>
      <i class="legend-swatch status-running" /> running
    </span>
    <span>
      <i class="legend-ring outcome-amber" /> amber rule
    </span>
    <span>
      <i class="legend-ring outcome-red" /> red rule
    </span>
    <span class="legend-hint">Drag to pan · wheel or +/− to zoom · arrows to move · Enter folds</span>
  </div>
);
