import { type Component, createMemo, createSignal } from "solid-js";
import type { Analytics } from "../../api/analytics";
import { Chart } from "./chart";
import { usd } from "./format";
import { Segmented } from "./segmented";
import { rankSeries } from "./series";

type Grouping = "agent" | "model";
const groupings = [
  { value: "agent", label: "By agent" },
  { value: "model", label: "By model" },
] as const;

export const CostCard: Component<{ data: Analytics; xs: number[] }> = (props) => {
  const [by, setBy] = createSignal<Grouping>("agent");
  const series = createMemo(() =>
    rankSeries(props.xs, by() === "agent" ? props.data.cost_by_agent : props.data.cost_by_model),
  );
  return (
    <section class="card chart-card" aria-labelledby="cost-title" data-testid="cost-chart">
      <header class="chart-head">
        <div>
          <h2 id="cost-title">Cost over time</h2>
          <p class="muted">
            USD per {props.data.bucket}, stacked by {by()}.
          </p>
        </div>
        <Segmented label="Group cost" options={groupings} value={by()} onChange={setBy} />
      </header>
      <Chart
        label={`Cost per ${props.data.bucket} by ${by()}`}
        xs={props.xs}
        series={series()}
        mode="stacked"
        axis={{ kind: "time", bucket: props.data.bucket }}
        format={usd}
        total
        height={260}
      />
    </section>
  );
};
