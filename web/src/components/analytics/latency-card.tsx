import { type Component, createMemo, createSignal, For, Show } from "solid-js";
import type { Analytics, LatencyRow } from "../../api/analytics";
import { Chart } from "./chart";
import { count, ms } from "./format";

const bucketName = (le: number, previous: number | undefined) => {
  if (le < 0) return `> ${short(previous ?? 0)}`;
  return `≤ ${short(le)}`;
};
const short = (v: number) => (v < 1000 ? `${v} ms` : `${v / 1000} s`);

const Bars: Component<{ row: LatencyRow; max: number }> = (props) => {
  const width = (v: number | null) =>
    `${v === null || props.max <= 0 ? 0 : Math.max(1, (v / props.max) * 100)}%`;
  return (
    <div class="lat-bars" aria-hidden="true">
      <span class="lat-bar p99" style={{ width: width(props.row.p99_ms) }} />
      <span class="lat-bar p95" style={{ width: width(props.row.p95_ms) }} />
      <span class="lat-bar p50" style={{ width: width(props.row.p50_ms) }} />
    </div>
  );
};

const Histogram: Component<{ row: LatencyRow }> = (props) => {
  const labels = createMemo(() =>
    props.row.histogram.map((h, i) => bucketName(h.le_ms, props.row.histogram[i - 1]?.le_ms)),
  );
  const series = createMemo(() => [
    { label: "Traces", color: "#6366f1", values: props.row.histogram.map((h) => h.count) },
  ]);
  return (
    <div class="histogram" data-testid="latency-histogram">
      <h3>
        Duration distribution <span class="muted">· {props.row.agent}</span>
      </h3>
      <Chart
        label={`Trace duration histogram for ${props.row.agent}`}
        xs={props.row.histogram.map((_, i) => i)}
        series={series()}
        mode="stacked"
        axis={{ kind: "category", labels: labels() }}
        format={count}
        legend={false}
        height={200}
      />
    </div>
  );
};

export const LatencyCard: Component<{ data: Analytics }> = (props) => {
  const [picked, setPicked] = createSignal<string>();
  const selected = () => props.data.latency.find((r) => r.agent === picked()) ?? props.data.latency[0];
  const max = () => Math.max(0, ...props.data.latency.map((r) => r.p99_ms ?? 0));
  const value = (v: number | null) => (v === null ? "—" : ms(v));
  return (
    <section class="card chart-card" aria-labelledby="latency-title" data-testid="latency-chart">
      <header class="chart-head">
        <div>
          <h2 id="latency-title">Latency per agent</h2>
          <p class="muted">Trace duration percentiles. Select an agent to see its distribution.</p>
        </div>
        <ul class="legend static" aria-label="Percentiles">
          <li>
            <span class="swatch lat-key p50" />
            p50
          </li>
          <li>
            <span class="swatch lat-key p95" />
            p95
          </li>
          <li>
            <span class="swatch lat-key p99" />
            p99
          </li>
        </ul>
      </header>
      <Show
        when={props.data.latency.length > 0}
        fallback={<p class="empty">No finished traces in this range.</p>}
      >
        <div class="table-wrap">
          <table class="data-table latency">
            <thead>
              <tr>
                <th>Agent</th>
                <th class="num">Traces</th>
                <th class="num">p50</th>
                <th class="num">p95</th>
                <th class="num">p99</th>
                <th class="bar-col">
                  <span class="visually-hidden">Percentiles compared</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={props.data.latency}>
                {(row) => (
                  <tr classList={{ selected: selected()?.agent === row.agent }}>
                    <td>
                      <button
                        type="button"
                        class="link-button row-pick"
                        aria-pressed={selected()?.agent === row.agent}
                        onClick={() => setPicked(row.agent)}
                      >
                        {row.agent}
                      </button>
                    </td>
                    <td class="num">{count(row.count)}</td>
                    <td class="num">{value(row.p50_ms)}</td>
                    <td class="num">{value(row.p95_ms)}</td>
                    <td class="num">{value(row.p99_ms)}</td>
                    <td class="bar-col">
                      <Bars row={row} max={max()} />
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <Show when={selected()}>{(row) => <Histogram row={row()} />}</Show>
      </Show>
    </section>
  );
};
