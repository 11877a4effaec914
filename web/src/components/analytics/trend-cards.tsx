import { type Component, createMemo } from "solid-js";
import type { Analytics } from "../../api/analytics";
import { Chart } from "./chart";
import { count, percent } from "./format";
import { align } from "./series";
import { totals } from "./summary";

type Props = { data: Analytics; xs: number[] };

export const ErrorRateCard: Component<Props & { target: number }> = (props) => {
  // Buckets without traces have no rate: null leaves a gap instead of claiming 0%.
  const series = createMemo(() => [
    { label: "Error rate", color: "#ef4444", values: align(props.xs, props.data.error_rate, null) },
  ]);
  const t = () => totals(props.data);
  return (
    <section class="card chart-card" aria-labelledby="errors-title" data-testid="error-chart">
      <header class="chart-head">
        <div>
          <h2 id="errors-title">Error rate</h2>
          <p class="muted">
            Share of traces that failed, per {props.data.bucket}. Target: at most {percent(props.target)}.
          </p>
        </div>
        <span
          class="pill"
          classList={{ bad: t().errorRate > props.target, good: t().errorRate <= props.target }}
        >
          {percent(t().errorRate)} overall
        </span>
      </header>
      <Chart
        label={`Error rate per ${props.data.bucket} against a ${percent(props.target)} target`}
        xs={props.xs}
        series={series()}
        mode="line"
        axis={{ kind: "time", bucket: props.data.bucket }}
        format={percent}
        target={{ value: props.target, label: `Target ≤ ${percent(props.target)}` }}
        legend={false}
        height={220}
      />
    </section>
  );
};

const tokenColors: Record<string, string> = { input: "#6366f1", output: "#14b8a6" };

export const TokensCard: Component<Props> = (props) => {
  const series = createMemo(() =>
    props.data.tokens.map((s) => ({
      label: s.key === "input" ? "Input" : s.key === "output" ? "Output" : s.key,
      color: tokenColors[s.key] ?? "#94a3b8",
      values: align(props.xs, s.points, 0),
    })),
  );
  return (
    <section class="card chart-card" aria-labelledby="tokens-title" data-testid="tokens-chart">
      <header class="chart-head">
        <div>
          <h2 id="tokens-title">Tokens</h2>
          <p class="muted">Input and output tokens per {props.data.bucket}, stacked.</p>
        </div>
      </header>
      <Chart
        label={`Input and output tokens per ${props.data.bucket}`}
        xs={props.xs}
        series={series()}
        mode="stacked"
        axis={{ kind: "time", bucket: props.data.bucket }}
        format={count}
        total
        height={220}
      />
    </section>
  );
};
