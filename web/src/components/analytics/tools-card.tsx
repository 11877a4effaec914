import { type Component, createSignal, For, Show } from "solid-js";
import type { Analytics } from "../../api/analytics";
import { count, ms, percent } from "./format";

const SHOWN = 10;

export const ToolsCard: Component<{ data: Analytics }> = (props) => {
  const [all, setAll] = createSignal(false);
  const rows = () => (all() ? props.data.tools : props.data.tools.slice(0, SHOWN));
  const max = () => Math.max(1, ...props.data.tools.map((t) => t.calls));
  return (
    <section class="card chart-card" aria-labelledby="tools-title" data-testid="tools-chart">
      <header class="chart-head">
        <div>
          <h2 id="tools-title">Tool usage</h2>
          <p class="muted">Calls per tool; the red part of each bar is the share that failed.</p>
        </div>
        <ul class="legend static" aria-label="Bar colours">
          <li>
            <span class="swatch tool-key ok" />
            Succeeded
          </li>
          <li>
            <span class="swatch tool-key err" />
            Failed
          </li>
        </ul>
      </header>
      <Show when={props.data.tools.length > 0} fallback={<p class="empty">No tool calls in this range.</p>}>
        <div class="table-wrap">
          <table class="data-table tools">
            <thead>
              <tr>
                <th>Tool</th>
                <th class="bar-col">Calls</th>
                <th class="num">Errors</th>
                <th class="num">p95</th>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(tool) => (
                  <tr>
                    <td class="tool-name">
                      <code>{tool.tool}</code>
                    </td>
                    <td class="bar-col">
                      <div class="hbar">
                        <div class="hbar-track" aria-hidden="true">
                          <span class="hbar-fill" style={{ width: `${(tool.calls / max()) * 100}%` }}>
                            <span
                              class="hbar-err"
                              style={{ width: `${tool.calls ? (tool.errors / tool.calls) * 100 : 0}%` }}
                            />
                          </span>
                        </div>
                        <span class="hbar-value">{count(tool.calls)}</span>
                      </div>
                    </td>
                    <td class="num" classList={{ "text-bad": tool.errors > 0 }}>
                      {tool.errors > 0 ? `${count(tool.errors)} · ${percent(tool.errors / tool.calls)}` : "0"}
                    </td>
                    <td class="num">{tool.p95_ms === null ? "—" : ms(tool.p95_ms)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <Show when={props.data.tools.length > SHOWN}>
          <button type="button" class="button small ghost show-all" onClick={() => setAll(!all())}>
            {all() ? "Show top 10" : `Show all ${props.data.tools.length} tools`}
          </button>
        </Show>
      </Show>
    </section>
  );
};
