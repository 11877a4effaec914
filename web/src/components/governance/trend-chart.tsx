import "uplot/dist/uPlot.min.css";
import {
  type Component,
  createEffect,
  createSignal,
  For,
  on,
  onCleanup,
  onMount,
  Show,
  untrack,
} from "solid-js";
import uPlot from "uplot";
import type { Counts, GovSummary } from "../../api/governor";
import { formatCount, OUTCOMES, outcomeLabel } from "./shared";

type Day = GovSummary["trend"][number];

const DAY_MS = 86_400_000;
const dayLabel = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

/** One entry per UTC day of the range, zeros where the API returned no row. */
export function fillDays(from: string, to: string, trend: readonly Day[]): Day[] {
  const byDay = new Map(trend.map((d) => [d.day, d]));
  const days: Day[] = [];
  const last = new Date(to).toISOString().slice(0, 10);
  for (let t = Date.parse(from.slice(0, 10)); ; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, pass: 0, amber: 0, red: 0, error: 0 });
    if (day >= last || days.length > 400) return days;
  }
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

// Bars are stacked by drawing running totals tallest first: red sits on the axis, so violations
// stay readable even when passes dominate the day.
type Stacked = "pass" | "error" | "amber" | "red";
const STACKS = {
  all: ["pass", "error", "amber", "red"],
  violations: ["error", "amber", "red"],
} as const satisfies Record<string, readonly Stacked[]>;
type Mode = keyof typeof STACKS;
const BELOW = { pass: OUTCOMES, error: ["red", "amber", "error"], amber: ["red", "amber"], red: ["red"] };

function options(days: Day[], width: number, stack: readonly Stacked[]): uPlot.Options {
  const muted = cssVar("--muted");
  const grid = cssVar("--border");
  const axis = {
    stroke: muted,
    grid: { stroke: grid, width: 1 },
    ticks: { show: false },
    font: "12px system-ui",
  };
  const step = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(width / 70))));
  return {
    width,
    height: 220,
    padding: [12, 8, 0, 0],
    legend: { show: false },
    cursor: { y: false, points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: [-0.5, days.length - 0.5] },
      y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.08)] },
    },
    axes: [
      {
        ...axis,
        size: 34,
        grid: { show: false },
        splits: () => days.map((_, i) => i).filter((i) => (days.length - 1 - i) % step === 0),
        values: (_u, splits) => splits.map((i) => (days[i] ? dayLabel.format(Date.parse(days[i].day)) : "")),
      },
      { ...axis, incrs: INCRS, size: 48, values: (_u, splits) => splits.map((v) => formatCount(v)) },
    ],
    series: [
      {},
      ...stack.map((o) => ({
        label: outcomeLabel[o],
        fill: cssVar(`--${o}`),
        stroke: cssVar(`--${o}`),
        width: 0,
        points: { show: false },
        paths: uPlot.paths.bars?.({ size: [0.7, 48], radius: 0 }),
      })),
    ],
  };
}

const chartData = (days: Day[], stack: readonly Stacked[]): uPlot.AlignedData => [
  days.map((_, i) => i),
  ...stack.map((o) => days.map((d) => BELOW[o].reduce((sum, k) => sum + d[k as keyof Counts], 0))),
];

/** Daily pass/amber/red/error as stacked bars; the legend shows the hovered day or the whole range. */
export const TrendChart: Component<{ summary: GovSummary }> = (props) => {
  let host!: HTMLDivElement;
  const days = () => fillDays(props.summary.from, props.summary.to, props.summary.trend);
  const [hovered, setHovered] = createSignal<number | null>(null);
  // Passes usually dwarf everything else; "Violations" rescales the chart to what needs attention.
  const [mode, setMode] = createSignal<Mode>("all");
  const shown = () => {
    const i = hovered();
    const d = i === null ? undefined : days()[i];
    return d
      ? { label: dayLabel.format(Date.parse(d.day)), counts: d }
      : { label: "Whole range", counts: props.summary.totals };
  };

  onMount(() => {
    let chart: uPlot | undefined;
    const build = () => {
      chart?.destroy();
      const current = untrack(days);
      const stack = STACKS[untrack(mode)];
      const opts = options(current, host.clientWidth, stack);
      opts.hooks = { setCursor: [(u) => setHovered(u.cursor.idx ?? null)] };
      chart = new uPlot(opts, chartData(current, stack), host);
    };
    // Rebuilt rather than updated: the range changes the number of days, hence scales and labels.
    createEffect(on([days, mode], build));
    const resize = new ResizeObserver(() => chart?.setSize({ width: host.clientWidth, height: 220 }));
    resize.observe(host);
    // The canvas takes its colours from CSS variables once, so a theme switch redraws it.
    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", build);
    onCleanup(() => {
      resize.disconnect();
      scheme.removeEventListener("change", build);
      chart?.destroy();
    });
  });

  return (
    <figure class="gov-trend">
      <div class="gov-legend" aria-live="polite">
        <span class="gov-legend-label">{shown().label}</span>
        <For each={[...OUTCOMES]}>
          {(o) => (
            <span class="gov-legend-item" classList={{ off: mode() === "violations" && o === "pass" }}>
              <span class={`gov-swatch gov-bar-${o}`} aria-hidden="true" />
              {outcomeLabel[o]} <strong>{formatCount(shown().counts[o])}</strong>
            </span>
          )}
        </For>
        <fieldset class="segmented gov-segmented gov-trend-mode" aria-label="Outcomes drawn">
          <button type="button" aria-pressed={mode() === "all"} onClick={() => setMode("all")}>
            All
          </button>
          <button type="button" aria-pressed={mode() === "violations"} onClick={() => setMode("violations")}>
            Violations
          </button>
        </fieldset>
      </div>
      <div ref={host} class="gov-chart" role="img" aria-label={ariaSummary(days())} />
      <Show when={days().length === 1}>
        <figcaption class="hint">Pick 7d or 30d to see a trend across days.</figcaption>
      </Show>
    </figure>
  );
};

function ariaSummary(days: Day[]): string {
  const worst = days.reduce((a, d) => (d.red > a.red ? d : a), days[0] ?? { day: "", red: 0 });
  return `Evaluations per day over ${days.length} days${worst.red > 0 ? `; most red on ${worst.day} (${worst.red})` : ""}.`;
}
