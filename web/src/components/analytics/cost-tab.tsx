import { createAsync, revalidate, useIsRouting } from "@solidjs/router";
import { type Component, createMemo, ErrorBoundary, Show, Suspense } from "solid-js";
import { type Analytics, getAnalytics, type RangeId, ranges } from "../../api/analytics";
import { CostCard } from "./cost-card";
import { Filters } from "./filters";
import { LatencyCard } from "./latency-card";
import { timeline } from "./series";
import { AnalyticsEmpty, AnalyticsError, AnalyticsSkeleton } from "./states";
import { Summary } from "./summary";
import { ToolsCard } from "./tools-card";
import { ErrorRateCard, TokensCard } from "./trend-cards";

/** The error-rate objective the trend is drawn against. */
const ERROR_TARGET = 0.05;

const Charts: Component<{ data: Analytics }> = (props) => {
  const xs = createMemo(() => timeline(props.data));
  return (
    <>
      <Summary data={props.data} target={ERROR_TARGET} />
      <CostCard data={props.data} xs={xs()} />
      <div class="chart-grid">
        <ErrorRateCard data={props.data} xs={xs()} target={ERROR_TARGET} />
        <TokensCard data={props.data} xs={xs()} />
      </div>
      <LatencyCard data={props.data} />
      <ToolsCard data={props.data} />
    </>
  );
};

const hasTraces = (data: Analytics) => data.traces.some((p) => p.value > 0);

type Props = {
  range: RangeId;
  agent: string | undefined;
  onRange: (range: RangeId) => void;
  onAgent: (agent: string | undefined) => void;
};

/** Cost, tokens, latency and tools by agent, read straight from the traces (not the rollups). */
export const CostTab: Component<Props> = (props) => {
  const data = createAsync(() => getAnalytics(props.range, props.agent));
  const routing = useIsRouting();
  return (
    <>
      <div class="tab-tools">
        <p class="muted">
          {props.agent ?? "All agents"}: cost, latency, tools and errors over the last{" "}
          {ranges[props.range].label}.
        </p>
        <Filters range={props.range} agent={props.agent} onRange={props.onRange} onAgent={props.onAgent} />
      </div>
      <ErrorBoundary
        fallback={(error, reset) => (
          <AnalyticsError
            error={error}
            onRetry={() => {
              void revalidate(getAnalytics.key).then(reset);
            }}
          />
        )}
      >
        <Suspense fallback={<AnalyticsSkeleton />}>
          <Show when={data()}>
            {(d) => (
              <div class="analytics-body" classList={{ stale: routing() }}>
                <Show
                  when={hasTraces(d())}
                  fallback={
                    <AnalyticsEmpty
                      rangeLabel={ranges[props.range].label}
                      agent={props.agent}
                      onClearAgent={() => props.onAgent(undefined)}
                    />
                  }
                >
                  <Charts data={d()} />
                </Show>
              </div>
            )}
          </Show>
        </Suspense>
      </ErrorBoundary>
    </>
  );
};
