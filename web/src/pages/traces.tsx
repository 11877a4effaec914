import { revalidate, useIsRouting } from "@solidjs/router";
import { type Component, createMemo, createSignal, ErrorBoundary, onCleanup, Show, Suspense } from "solid-js";
import { listTraces } from "../api/traces";
import { FormAlert } from "../components/form-alert";
import { NoMatchingTraces, NoTracesYet } from "../components/traces/empty-traces";
import { LiveIndicator } from "../components/traces/live-indicator";
import { TraceFilterBar } from "../components/traces/trace-filters";
import { activeFilterCount, useTraceFilters } from "../components/traces/trace-filters-state";
import { createTraceList } from "../components/traces/trace-list";
import { TraceTable, TraceTableSkeleton } from "../components/traces/trace-table";
import { coalesce } from "../live/coalesce";
import { useLiveFeed } from "../live/use-live-feed";

const ListError: Component<{ error: unknown; retry: () => void }> = (props) => (
  <div class="card list-error" role="alert">
    <h2>Traces could not be loaded</h2>
    <FormAlert error={props.error} />
    <button type="button" class="button secondary" onClick={() => props.retry()}>
      Try again
    </button>
  </div>
);

const LoadMore: Component<{ list: ReturnType<typeof createTraceList> }> = (props) => (
  <div class="list-footer">
    <span class="muted">
      {props.list.state.rows.length} trace{props.list.state.rows.length === 1 ? "" : "s"}
      {props.list.state.cursor ? " loaded" : ", all loaded"}
    </span>
    <Show when={props.list.state.moreError}>
      <FormAlert error={props.list.state.moreError} />
    </Show>
    <Show when={props.list.state.cursor}>
      <button
        type="button"
        class="button secondary"
        disabled={props.list.state.loadingMore}
        onClick={() => void props.list.loadMore()}
      >
        {props.list.state.loadingMore ? "Loading…" : "Load more"}
      </button>
    </Show>
  </div>
);

export const TracesPage: Component = () => {
  const { filters, update, clear } = useTraceFilters();
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 30_000);
  onCleanup(() => clearInterval(tick));

  let table: HTMLTableElement | undefined;
  const list = createTraceList(filters, () => table);
  const routing = useIsRouting();

  const refresh = coalesce(() => void list.refresh());
  onCleanup(refresh.cancel);
  const feed = useLiveFeed(() => "/ws/live", {
    onMessages: (messages) => {
      if (messages.some((m) => m.event !== "feed.ready" && m.event !== "replay.gap")) refresh();
    },
    onSync: refresh,
  });

  const models = createMemo(() => [...new Set(list.state.rows.flatMap((t) => t.models))].sort());

  return (
    <div class="traces-page">
      <header class="page-head page-head-row">
        <div>
          <h1>Traces</h1>
          <p class="muted">Every agent run, newest first. New traces appear at the top as they arrive.</p>
        </div>
        <LiveIndicator state={feed()} />
      </header>
      <TraceFilterBar filters={filters()} update={update} clear={clear} models={models()} />
      <ErrorBoundary
        fallback={(error, reset) => (
          <ListError
            error={error}
            retry={() => {
              void revalidate(listTraces.key);
              reset();
            }}
          />
        )}
      >
        <Suspense fallback={<TraceTableSkeleton />}>
          <Show when={list.loaded()}>
            <Show
              when={list.state.rows.length > 0}
              fallback={
                <Show when={activeFilterCount(filters()) > 0} fallback={<NoTracesYet />}>
                  <NoMatchingTraces onClear={clear} />
                </Show>
              }
            >
              <TraceTable
                rows={list.state.rows}
                fresh={list.state.fresh}
                now={now()}
                dimmed={routing()}
                ref={(el) => {
                  table = el;
                }}
              />
              <LoadMore list={list} />
            </Show>
          </Show>
        </Suspense>
      </ErrorBoundary>
    </div>
  );
};
