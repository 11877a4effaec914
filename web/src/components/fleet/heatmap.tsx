import { type Component, For } from "solid-js";
import type { FleetWorkspaces } from "../../api/fleet";
import { count } from "../analytics/format";
import { dayRange, tracesHref } from "./links";

type Props = { data: FleetWorkspaces; workspaces: string[]; provider?: string; capability?: string };

const dayLabel = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

/** date × workspace interactions as a grid of cells; each cell opens that workspace's traces that day. */
export const Heatmap: Component<Props> = (props) => {
  const cells = () => new Map(props.data.heatmap.map((c) => [`${c.workspace} ${c.day}`, c.interactions]));
  const max = () => Math.max(1, ...props.data.heatmap.map((c) => c.interactions));
  const value = (w: string, d: string) => cells().get(`${w} ${d}`) ?? 0;
  // A square root scale, so a quiet workspace still shows next to a busy one.
  const level = (v: number) => (v === 0 ? 0 : 0.15 + 0.85 * Math.sqrt(v / max()));
  return (
    <div class="heatmap-wrap">
      <table class="heatmap" aria-label="Interactions per day and workspace">
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Workspace</span>
            </th>
            <For each={props.data.days}>
              {(d) => (
                <th scope="col" class="heatmap-day">
                  {dayLabel.format(new Date(`${d}T00:00:00Z`))}
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={props.workspaces}>
            {(w) => (
              <tr>
                <th scope="row" class="heatmap-name" title={w}>
                  {w}
                </th>
                <For each={props.data.days}>
                  {(d) => (
                    <td>
                      <a
                        class="heatmap-cell"
                        href={tracesHref({
                          ...dayRange(d),
                          workspace: w,
                          provider: props.provider,
                          capability: props.capability,
                        })}
                        style={{ "--level": level(value(w, d)) }}
                        title={`${w}, ${d}: ${count(value(w, d))} interactions`}
                      >
                        <span class="visually-hidden">
                          {w}, {d}: {count(value(w, d))} interactions
                        </span>
                      </a>
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
};
