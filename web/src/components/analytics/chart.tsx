import { type Component, createEffect, createSignal, For, onCleanup, onMount, Show, untrack } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { bucketLabel } from "./format";
import {
  type ChartMode,
  type PlotSeries,
  plotData,
  plotOptions,
  type Target,
  type XAxis,
} from "./plot-options";
import { chartTheme } from "./theme";

type Props = {
  /** The chart's accessible name. */
  label: string;
  xs: number[];
  series: PlotSeries[];
  mode: ChartMode;
  axis: XAxis;
  format: (v: number) => string;
  target?: Target;
  height?: number;
  /** Show the legend (with each series' total) under the chart; off for a single unnamed series. */
  legend?: boolean;
  /** Adds a "Total" line to the tooltip (stacked charts). */
  total?: boolean;
  /** Show each series' total in the legend (off where a sum means nothing, e.g. percentiles). */
  legendTotals?: boolean;
};

type Hover = { idx: number; left: number };

/**
 * A uPlot chart with an HTML legend (click to hide a series), a tooltip with each series' own value,
 * and arrow-key stepping through the buckets when focused.
 */
export const Chart: Component<Props> = (props) => {
  let box: HTMLDivElement | undefined;
  let plot: uPlot | undefined;
  const [width, setWidth] = createSignal(0);
  const [hidden, setHidden] = createSignal<ReadonlySet<string>>(new Set());
  const [hover, setHover] = createSignal<Hover | null>(null);
  const visible = () => props.series.filter((s) => !hidden().has(s.label));
  const height = () => props.height ?? 240;

  onMount(() => {
    if (!box) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(box);
    onCleanup(() => observer.disconnect());
  });

  // Rebuilt whenever data, visible series or the colour scheme change; resizes only resize.
  createEffect(() => {
    const theme = chartTheme();
    const series = visible();
    const spec = { xs: props.xs, series, mode: props.mode, axis: props.axis, format: props.format };
    if (!box) return;
    const opts = plotOptions({
      ...spec,
      target: props.target,
      width: box.clientWidth || 600,
      height: height(),
      theme,
      onHover: (idx, left) => setHover(idx === null ? null : { idx, left }),
    });
    const u = new uPlot(opts, plotData(spec), box);
    plot = u;
    // A redraw (new data, colour scheme) keeps the bucket a keyboard or mouse user was reading.
    const kept = untrack(hover);
    if (kept) showBucket(kept.idx);
    onCleanup(() => {
      u.destroy();
      if (plot === u) plot = undefined;
    });
  });

  createEffect(() => {
    const w = width();
    if (w > 0 && plot && plot.width !== w) plot.setSize({ width: w, height: height() });
  });

  function showBucket(idx: number) {
    const x = props.xs[idx];
    if (plot && x !== undefined) plot.setCursor({ left: plot.valToPos(x, "x"), top: 10 });
  }

  const step = (e: KeyboardEvent) => {
    if (!plot || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
    e.preventDefault();
    const last = props.xs.length - 1;
    const current = hover()?.idx ?? (e.key === "ArrowLeft" ? last + 1 : -1);
    const idx = Math.min(last, Math.max(0, current + (e.key === "ArrowLeft" ? -1 : 1)));
    showBucket(idx);
  };

  const toggle = (label: string) => {
    const next = new Set(hidden());
    if (!next.delete(label)) next.add(label);
    setHidden(next);
  };

  return (
    <div class="chart">
      <div class="chart-area">
        <div
          class="chart-plot"
          ref={box}
          role="img"
          aria-label={`${props.label}. Focus and use the arrow keys to read each value.`}
          tabindex="0"
          onKeyDown={step}
          onBlur={() => plot?.setCursor({ left: -10, top: -10 })}
          style={{ height: `${height()}px` }}
        />
        <Show when={hover()}>
          {(h) => (
            <Tooltip
              hover={h()}
              series={visible()}
              xs={props.xs}
              axis={props.axis}
              format={props.format}
              total={props.total}
              topFirst={props.mode !== "line"}
              plot={plot}
            />
          )}
        </Show>
      </div>
      <Show when={props.legend !== false}>
        <ul class="legend" aria-label={`${props.label} legend`}>
          <For each={props.series}>
            {(s) => (
              <li>
                <button
                  type="button"
                  class="legend-item"
                  aria-pressed={!hidden().has(s.label)}
                  title={hidden().has(s.label) ? `Show ${s.label}` : `Hide ${s.label}`}
                  onClick={() => toggle(s.label)}
                >
                  <span class="swatch" style={{ background: s.color }} />
                  <span class="legend-label">{s.label}</span>
                  <Show when={props.legendTotals !== false}>
                    <span class="legend-value">
                      {props.format(s.values.reduce<number>((a, v) => a + (v ?? 0), 0))}
                    </span>
                  </Show>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
};

type TooltipProps = {
  hover: Hover;
  series: PlotSeries[];
  xs: number[];
  axis: XAxis;
  format: (v: number) => string;
  total?: boolean;
  /** List the series top-down, as a stack reads. */
  topFirst: boolean;
  plot: uPlot | undefined;
};

const Tooltip: Component<TooltipProps> = (props) => {
  const title = () => {
    const x = props.xs[props.hover.idx] ?? 0;
    return props.axis.kind === "time"
      ? bucketLabel(x, props.axis.bucket)
      : (props.axis.labels[props.hover.idx] ?? "");
  };
  const value = (s: PlotSeries) => s.values[props.hover.idx] ?? null;
  const sum = () => props.series.reduce((a, s) => a + (value(s) ?? 0), 0);
  const plotLeft = () => (props.plot ? props.plot.bbox.left / uPlot.pxRatio : 0);
  const plotWidth = () => (props.plot ? props.plot.bbox.width / uPlot.pxRatio : 0);
  const flip = () => props.hover.left > plotWidth() / 2;
  return (
    <div
      class="chart-tip"
      classList={{ flip: flip() }}
      style={{ left: `${plotLeft() + props.hover.left}px` }}
      aria-hidden="true"
    >
      <p class="chart-tip-title">{title()}</p>
      <For each={props.topFirst ? [...props.series].reverse() : props.series}>
        {(s) => (
          <p>
            <span class="swatch" style={{ background: s.color }} />
            <span class="chart-tip-label">{s.label}</span>
            <span class="chart-tip-value">{value(s) === null ? "—" : props.format(value(s) ?? 0)}</span>
          </p>
        )}
      </For>
      <Show when={props.total && props.series.length > 1}>
        <p class="chart-tip-total">
          <span class="chart-tip-label">Total</span>
          <span class="chart-tip-value">{props.format(sum())}</span>
        </p>
      </Show>
    </div>
  );
};
