import { createAsync, revalidate, useIsRouting } from "@solidjs/router";
import { type Component, ErrorBoundary, type JSX, Show, Suspense } from "solid-js";
import { type FleetFilters, type Freshness, fleetKeys, fleetRanges, getFleetOverview } from "../../api/fleet";
import { AnalyticsError, AnalyticsSkeleton } from "../analytics/states";
import { type FilterPatch, FleetFilterBar } from "./fleet-filters";
import { FreshnessBadge } from "./freshness";

/** Provider and capability names for the filters: every one in the range, whatever is filtered. */
const FilterBar: Component<{ filters: FleetFilters; onChange: (p: FilterPatch) => void }> = (props) => {
  const names = createAsync(() =>
    getFleetOverview({ range: props.filters.range, from: props.filters.from, to: props.filters.to }),
  );
  return (
    <FleetFilterBar
      filters={props.filters}
      providers={names()?.providers ?? []}
      capabilities={names()?.capability_names ?? []}
      onChange={props.onChange}
    />
  );
};

type Props<T> = {
  filters: FleetFilters;
  onChange: (p: FilterPatch) => void;
  description: string;
  data: () => T | undefined;
  children: (data: T) => JSX.Element;
};

/** A fleet tab's frame: its filters, freshness, and the loading and error states around its body. */
export function FleetTab<T extends { freshness: Freshness }>(props: Props<T>) {
  const routing = useIsRouting();
  const label = () =>
    props.filters.from && props.filters.to
      ? "the linked range"
      : `the last ${fleetRanges[props.filters.range].label}`;
  return (
    <>
      <div class="tab-tools">
        <p class="muted">
          {props.description} Over {label()}.
        </p>
        <ErrorBoundary fallback={null}>
          <Suspense>
            <FilterBar filters={props.filters} onChange={props.onChange} />
          </Suspense>
        </ErrorBoundary>
      </div>
      <ErrorBoundary
        fallback={(error, reset) => (
          <AnalyticsError
            error={error}
            onRetry={() => {
              void revalidate(fleetKeys).then(reset);
            }}
          />
        )}
      >
        <Suspense fallback={<AnalyticsSkeleton />}>
          <Show when={props.data()}>
            {(d) => (
              <div class="analytics-body" classList={{ stale: routing() }}>
                <FreshnessBadge freshness={d().freshness} />
                {props.children(d())}
              </div>
            )}
          </Show>
        </Suspense>
      </ErrorBoundary>
    </>
  );
}
