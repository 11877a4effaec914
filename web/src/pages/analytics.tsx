import { createAsync, revalidate, useIsRouting, useSearchParams } from "@solidjs/router";
import { type Component, createMemo, ErrorBoundary, Show, Suspense } from "solid-js";
import { type Analytics, getAnalytics, isRangeId, type RangeId, ranges } from "../api/analytics";
import { CostCard } from "../components/analytics/cost-card";
import { Filters } from "../components/analytics/filters";
import { LatencyCard } from "../components/analytics/latency-card";
import { timeline } from "../components/analytics/series";
import { AnalyticsEmpty, AnalyticsError, AnalyticsSkeleton } from "../components/analytics/states";
import { Summary } from "../components/analytics/summary";
import { ToolsCard } from "../components/analytics/tools-card";
import { ErrorRateCard, TokensCard } from "../components/analytics/trend-cards";
import { RequireSession } from "../components/require-session";

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

export const AnalyticsPage: Component = () => {
  const [params, setParams] = useSearchParams<{ range: string; agent: string }>();
  const range = (): RangeId => (isRangeId(params.range) ? params.range : "7d");
  const agent = () => params.agent || undefined;
  const data = createAsync(() => getAnalytics(range(), agent()));
  const routing = useIsRouting();
  return (
    <RequireSession what="analytics">
      {() => (
        <div class="analytics">
          <header class="page-head with-tools">
            <div>
              <p class="eyebrow">Analytics</p>
              <h1>{agent() ?? "All agents"}</h1>
              <p class="muted">Cost, latency, tools and errors over the last {ranges[range()].label}.</p>
            </div>
            <Filters
              range={range()}
              agent={agent()}
              onRange={(r) => setParams({ range: r })}
              onAgent={(a) => setParams({ agent: a })}
            />
          </header>
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
                          rangeLabel={ranges[range()].label}
                          agent={agent()}
                          onClearAgent={() => setParams({ agent: undefined })}
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
        </div>
      )}
    </RequireSession>
  );
};
