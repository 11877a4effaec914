import { revalidate, useIsRouting } from "@solidjs/router";
import {
  type Component,
  createEffect,
  createSignal,
  ErrorBoundary,
  onCleanup,
  Show,
  Suspense,
} from "solid-js";
import { listTraces, type TraceFilters } from "../api/traces";
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

/** The rows, below the page's error boundary and Suspense: every read of the list happens here. */
type SectionProps = {
  filters: TraceFilters;
  onClear: () => void;
  /** Models seen in the loaded rows, offered as suggestions by the model filter. */
  onModels: (models: string[]) => void;
  now: number;
};

const TraceListSection: Component<SectionProps> = (props) => {
  let table: HTMLTableElement | undefined;
  const list = createTraceList(
    () => props.filters,
    () => table,
  );
  createEffect(() => props.onModels([...new Set(list.state.rows.flatMap((t) => t.models))].sort()));
  const routing = useIsRouting();
  const refresh = coalesce(() => void list.refresh());
  onCleanup(refresh.cancel);
  // Shares the page's /ws/live socket; any event may change what the current filters match.
  useLiveFeed(() => "/ws/live", {
    onMessages: (messages) => {
      if (messages.some((m) => m.event !== "feed.ready" && m.event !== "replay.gap")) refresh();
    },
    onSync: refresh,
  });
  return (
    <Show when={list.loaded()}>
      <Show
        when={list.state.rows.length > 0}
        fallback={
          <Show when={activeFilterCount(props.filters) > 0} fallback={<NoTracesYet />}>
            <NoMatchingTraces onClear={props.onClear} />
          </Show>
        }
      >
        <TraceTable
          rows={list.state.rows}
          fresh={list.state.fresh}
          now={props.now}
          dimmed={routing()}
          ref={(el) => {
            table = el;
          }}
        />
        <LoadMore list={list} />
      </Show>
    </Show>
  );
};

export const TracesPage: Component = () => {
  const { filters, update, clear } = useTraceFilters();
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 30_000);
  onCleanup(() => clearInterval(tick));
  const feed = useLiveFeed(() => "/ws/live");
  const [models, setModels] = createSignal<string[]>([]);

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
          <TraceListSection filters={filters()} onClear={clear} onModels={setModels} now={now()} />
        </Suspense>
      </ErrorBoundary>
    </div>
  );
};
