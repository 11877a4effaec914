import { type Component, For } from "solid-js";
import type { FleetCapabilities } from "../../api/fleet";
import { count, ms, otherColor, palette } from "../analytics/format";

type Point = FleetCapabilities["scatter"][number];

const W = 440;
const H = 240;
const PAD = { left: 56, right: 12, top: 10, bottom: 30 };

const ticks = (max: number) => [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);

/** Prompt length against duration, one dot per interaction (SVG), named on hover. */
export const Scatter: Component<{ points: Point[]; capabilities: string[] }> = (props) => {
  const maxX = () => Math.max(1, ...props.points.map((p) => p.prompt_chars));
  const maxY = () => Math.max(1, ...props.points.map((p) => p.duration_ms));
  const x = (v: number) => PAD.left + (v / maxX()) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / maxY()) * (H - PAD.top - PAD.bottom);
  const color = (c: string) => {
    const i = props.capabilities.indexOf(c);
    return i < 0 ? otherColor : (palette[i % palette.length] ?? otherColor);
  };
  return (
    <svg viewBox={`0 0 ${W} ${H}`} class="scatter" role="img" aria-label="Prompt length against duration">
      <For each={ticks(maxY())}>
        {(t) => (
          <g>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} class="scatter-grid" />
            <text x={PAD.left - 6} y={y(t) + 4} class="scatter-axis" text-anchor="end">
              {ms(t)}
            </text>
          </g>
        )}
      </For>
      <For each={ticks(maxX())}>
        {(t, i) => (
          <text x={x(t)} y={H - 10} class="scatter-axis" text-anchor={i() === 4 ? "end" : "middle"}>
            {count(t)}
          </text>
        )}
      </For>
      <For each={props.points}>
        {(p) => (
          <circle
            cx={x(p.prompt_chars)}
            cy={y(p.duration_ms)}
            r="3.5"
            fill={color(p.capability)}
            class="scatter-dot"
          >
            <title>
              {p.capability}: {count(p.prompt_chars)} characters, {ms(p.duration_ms)}
            </title>
          </circle>
        )}
      </For>
    </svg>
  );
};
