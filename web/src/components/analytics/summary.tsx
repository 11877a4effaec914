import { type Component, Show } from "solid-js";
import type { Analytics } from "../../api/analytics";
import { count, ms, percent, usd } from "./format";

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function totals(data: Analytics) {
  const traces = sum(data.traces.map((p) => p.value));
  const errors = sum(data.error_rate.map((p, i) => p.value * (data.traces[i]?.value ?? 0)));
  const slowest = [...data.latency].sort((a, b) => (b.p95_ms ?? 0) - (a.p95_ms ?? 0))[0];
  return {
    cost: sum(data.cost_by_agent.flatMap((s) => s.points.map((p) => p.value))),
    traces,
    errorRate: traces > 0 ? errors / traces : 0,
    tokens: sum(data.tokens.flatMap((s) => s.points.map((p) => p.value))),
    slowest,
  };
}

const Tile: Component<{ label: string; value: string; note?: string; tone?: "bad" | "good" }> = (props) => (
  <div class="kpi surface">
    <p class="kpi-label">{props.label}</p>
    <p class="kpi-value" classList={{ bad: props.tone === "bad" }}>
      {props.value}
    </p>
    <Show when={props.note}>
      <p class="kpi-note">{props.note}</p>
    </Show>
  </div>
);

export const Summary: Component<{ data: Analytics; target: number }> = (props) => {
  const t = () => totals(props.data);
  return (
    <section class="kpis" aria-label="Totals for the range">
      <Tile label="Cost" value={usd(t().cost)} />
      <Tile label="Traces" value={count(t().traces)} />
      <Tile
        label="Error rate"
        value={percent(t().errorRate)}
        note={t().errorRate > props.target ? `Above ${percent(props.target)} target` : "Within target"}
        tone={t().errorRate > props.target ? "bad" : "good"}
      />
      <Tile label="Tokens" value={count(t().tokens)} />
      <Tile
        label="Slowest p95"
        value={t().slowest?.p95_ms != null ? ms(t().slowest?.p95_ms ?? 0) : "—"}
        note={t().slowest?.agent}
      />
    </section>
  );
};
