import { type Component, For } from "solid-js";
import { count, otherColor, palette, percent } from "../analytics/format";

export type Slice = { label: string; value: number; href: string };

const R = 42;
const C = 2 * Math.PI * R;

/** A donut of shares (SVG), with a legend whose rows open what each slice counts. */
export const Donut: Component<{ label: string; slices: Slice[] }> = (props) => {
  const total = () => props.slices.reduce((a, s) => a + s.value, 0);
  const color = (i: number) => palette[i % palette.length] ?? otherColor;
  const arcs = () => {
    let offset = 0;
    return props.slices.map((s, i) => {
      const length = total() > 0 ? (s.value / total()) * C : 0;
      const arc = { length, offset, color: color(i) };
      offset += length;
      return arc;
    });
  };
  return (
    <div class="donut">
      <svg viewBox="0 0 100 100" role="img" aria-label={props.label}>
        <circle cx="50" cy="50" r={R} class="donut-track" />
        <For each={arcs()}>
          {(a) => (
            <circle
              cx="50"
              cy="50"
              r={R}
              class="donut-arc"
              stroke={a.color}
              stroke-dasharray={`${a.length} ${C - a.length}`}
              stroke-dashoffset={-a.offset}
            />
          )}
        </For>
        <text x="50" y="50" class="donut-total">
          {count(total())}
        </text>
        <text x="50" y="63" class="donut-caption">
          interactions
        </text>
      </svg>
      <ul class="donut-legend">
        <For each={props.slices}>
          {(s, i) => (
            <li>
              <a href={s.href}>
                <span class="swatch" style={{ background: color(i()) }} />
                <span class="legend-label">{s.label}</span>
                <span class="legend-value">
                  {count(s.value)} · {percent(total() > 0 ? s.value / total() : 0)}
                </span>
              </a>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
};
