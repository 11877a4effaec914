import uPlot from "uplot";
import type { ChartTheme } from "./theme";

/** `stacked`: bars; `area`: stacked areas; `line`: one line per series. */
export type ChartMode = "stacked" | "area" | "line";
export type XAxis = { kind: "time"; bucket: "hour" | "day" } | { kind: "category"; labels: string[] };
export type Target = { value: number; label: string };
export type PlotSeries = { label: string; color: string; values: (number | null)[] };

type Spec = {
  xs: number[];
  series: PlotSeries[];
  mode: ChartMode;
  axis: XAxis;
  format: (v: number) => string;
  target?: Target;
  width: number;
  height: number;
  theme: ChartTheme;
  onHover: (idx: number | null, left: number) => void;
};

/**
 * Stacked bars are drawn as cumulative sums, the tallest first, each later (lower) one painted over it:
 * uPlot has no stacking of its own, and opaque bars overdrawn this way read as a stack.
 */
export function plotData(spec: Pick<Spec, "xs" | "series" | "mode">): uPlot.AlignedData {
  if (spec.mode === "line") return [spec.xs, ...spec.series.map((s) => s.values)];
  const cumulative: number[][] = [];
  let running = spec.xs.map(() => 0);
  for (const s of spec.series) {
    running = running.map((sum, i) => sum + (s.values[i] ?? 0));
    cumulative.push(running);
  }
  return [spec.xs, ...cumulative.reverse()];
}

const orderForPlot = (spec: Spec) => (spec.mode === "line" ? spec.series : [...spec.series].reverse());

function seriesOptions(spec: Spec): uPlot.Series[] {
  const bars = uPlot.paths.bars?.({ size: [0.72, 56], gap: 1 });
  // Points mark each real value when there are few of them, so a lone bucket is still visible.
  const few = (s: PlotSeries) => s.values.filter((v) => v !== null).length <= 48;
  return orderForPlot(spec).map((s) =>
    spec.mode === "stacked"
      ? { label: s.label, stroke: s.color, fill: s.color, width: 0, paths: bars, points: { show: false } }
      : spec.mode === "area"
        ? { label: s.label, stroke: s.color, fill: s.color, width: 1, points: { show: false } }
        : {
            label: s.label,
            stroke: s.color,
            // Overlapping fills of several lines muddy each other; only a lone line gets one.
            fill: spec.target || spec.series.length > 1 ? undefined : `${s.color}1f`,
            width: 2,
            spanGaps: true,
            points: { show: few(s), size: 5, fill: s.color },
          },
  );
}

function xRange(spec: Spec): uPlot.Scale.Range {
  const first = spec.xs[0] ?? 0;
  const last = spec.xs[spec.xs.length - 1] ?? first;
  const step = spec.xs.length > 1 ? (last - first) / (spec.xs.length - 1) : 1;
  const pad = spec.mode === "stacked" || spec.xs.length < 2 ? step / 2 : 0;
  return () => [first - pad, last + pad];
}

function yRange(spec: Spec): uPlot.Scale.Range {
  return (_u, _min, max) => {
    const floor = spec.target ? spec.target.value * 2 : 0;
    const top = Math.max(max ?? 0, floor);
    return [0, top > 0 ? uPlot.rangeNum(0, top, 0.1, true)[1] : 1];
  };
}

function axes(spec: Spec): uPlot.Axis[] {
  const { theme } = spec;
  const common = { stroke: theme.muted, font: theme.font, ticks: { show: false } };
  const x: uPlot.Axis =
    spec.axis.kind === "category"
      ? {
          ...common,
          grid: { show: false },
          splits: () => spec.xs,
          values: (_u, splits) =>
            splits.map((i) => (spec.axis.kind === "category" ? spec.axis.labels[i] : "")),
        }
      : spec.axis.bucket === "day"
        ? // Daily buckets: ticks on whole days, never at the noon between them.
          {
            ...common,
            grid: { show: false },
            space: 60,
            incrs: [86_400, 2 * 86_400, 7 * 86_400, 30 * 86_400],
          }
        : { ...common, grid: { show: false }, space: 60 };
  const y: uPlot.Axis = {
    ...common,
    grid: { stroke: theme.grid, width: 1 },
    values: (_u, splits) => splits.map(spec.format),
    size: (_u, values) => Math.max(36, ...(values ?? []).map((v) => v.length * 7.2 + 14)),
    space: 32,
  };
  return [x, y];
}

/** The shaded "good" band under a target line, drawn under the series. */
function drawTarget(u: uPlot, target: Target, theme: ChartTheme) {
  const px = uPlot.pxRatio;
  const { left, width } = u.bbox;
  const top = u.valToPos(target.value, "y", true);
  const bottom = u.valToPos(0, "y", true);
  const ctx = u.ctx;
  ctx.save();
  ctx.fillStyle = "rgb(16 185 129 / 0.12)";
  ctx.fillRect(left, top, width, bottom - top);
  ctx.strokeStyle = "rgb(16 185 129 / 0.8)";
  ctx.lineWidth = px;
  ctx.setLineDash([4 * px, 4 * px]);
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left + width, top);
  ctx.stroke();
  ctx.fillStyle = theme.muted;
  ctx.font = theme.font.replace(/^(\d+)px/, (_, n) => `${Number(n) * px}px`);
  ctx.textAlign = "left";
  ctx.fillText(target.label, left + 6 * px, top - 6 * px);
  ctx.restore();
}

export function plotOptions(spec: Spec): uPlot.Options {
  return {
    width: spec.width,
    height: spec.height,
    legend: { show: false },
    padding: [12, 12, 0, 0],
    cursor: {
      y: false,
      drag: { x: false, y: false, setScale: false },
      points: { show: spec.mode !== "stacked" },
    },
    scales: {
      x: { time: spec.axis.kind === "time", range: xRange(spec) },
      y: { range: yRange(spec) },
    },
    axes: axes(spec),
    series: [{}, ...seriesOptions(spec)],
    hooks: {
      drawAxes: spec.target ? [(u) => spec.target && drawTarget(u, spec.target, spec.theme)] : [],
      setCursor: [(u) => spec.onHover(u.cursor.idx ?? null, u.cursor.left ?? 0)],
    },
  };
}
