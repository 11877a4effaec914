import { createAsync, revalidate, useParams, useSearchParams } from "@solidjs/router";
import { type Component, createMemo, createSignal, ErrorBoundary, onCleanup, Show, Suspense } from "solid-js";
import { ApiError } from "../api/client";
import { getTrace, getTraceDag, listSpanEvaluations } from "../api/traces";
import { FormAlert } from "../components/form-alert";
import { DagView } from "../components/traces/dag-view";
import { SpanPanel } from "../components/traces/span-panel";
import { Timeline } from "../components/traces/timeline";
import { TraceHeader } from "../components/traces/trace-header";
import { coalesce } from "../live/coalesce";
import { useLiveFeed } from "../live/use-live-feed";

const NotFound: Component<{ error: unknown; retry: () => void }> = (props) => (
  <div class="card failure">
    <Show
      when={props.error instanceof ApiError && props.error.status === 404}
      fallback={
        <>
          <h1>This trace could not be loaded</h1>
          <FormAlert error={props.error} />
          <button type="button" class="button secondary" onClick={() => props.retry()}>
            Try again
          </button>
        </>
      }
    >
      <h1>Trace not found</h1>
      <p class="muted">
        There is no trace with this id in your workspace. It may have been deleted by retention.
      </p>
      <a class="button secondary" href="/traces">
        Back to traces
      </a>
    </Show>
  </div>
);

const DetailSkeleton: Component = () => (
  <div class="trace-detail" aria-busy="true">
    <span class="visually-hidden">Loading the trace…</span>
    <span class="skeleton skeleton-title" />
    <span class="skeleton skeleton-stats" />
    <div class="trace-views">
      <div class="trace-views-main">
        <span class="skeleton skeleton-canvas" />
      </div>
      <span class="skeleton skeleton-panel" />
    </div>
  </div>
);

/** Everything that reads the trace lives below the page's error boundary and Suspense. */
const TraceDetailView: Component<{ id: string }> = (props) => {
  const [search, setSearch] = useSearchParams<{ span?: string }>();
  const detail = createAsync(() => getTrace(props.id));
  const dag = createAsync(() => getTraceDag(props.id));
  const running = () => detail()?.trace.ended_at === null;

  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => running() && setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(tick));

  // Selection lives in the URL (?span=), so a link can point at one span of a trace.
  const select = (id: string) => setSearch({ span: id }, { replace: true });
  const selected = createMemo(() => detail()?.spans.find((s) => s.id === search.span));
  const outcomes = createMemo(() => new Map(detail()?.spans.map((s) => [s.id, s.worst_outcome]) ?? []));

  // A refresh refetches the whole trace, so a big running trace is refreshed less often.
  const refresh = coalesce(
    () => void revalidate([getTrace.keyFor(props.id), getTraceDag.keyFor(props.id), listSpanEvaluations.key]),
    250,
    () => ((detail()?.totals.spans ?? 0) > 500 ? 3000 : 1000),
  );
  onCleanup(refresh.cancel);
  // Opened once the trace has loaded, so a missing trace does not leave a socket retrying.
  const feed = useLiveFeed(() => (detail() ? `/ws/traces/${encodeURIComponent(props.id)}` : undefined), {
    onMessages: (messages) => {
      if (messages.some((m) => m.event !== "feed.ready" && m.event !== "replay.gap")) refresh();
    },
    // A finished trace gains nothing from a refetch when the socket opens; a running one might.
    onSync: () => running() && refresh(),
  });

  return (
    <Show when={detail()}>
      {(d) => (
        <div class="trace-detail">
          <TraceHeader detail={d()} feed={feed()} />
          <div class="trace-views">
            <div class="trace-views-main">
              <section class="card view-card" aria-labelledby="dag-title">
                <h2 id="dag-title" class="view-title">
                  Execution graph
                </h2>
                <Show when={dag()} fallback={<span class="skeleton skeleton-canvas" />}>
                  {(g) => (
                    <DagView dag={g()} outcomes={outcomes()} selectedId={search.span} onSelect={select} />
                  )}
                </Show>
              </section>
              <section class="card view-card" aria-labelledby="timeline-title">
                <h2 id="timeline-title" class="view-title">
                  Timeline
                </h2>
                <Timeline spans={d().spans} selectedId={search.span} onSelect={select} now={now()} />
              </section>
            </div>
            <SpanPanel span={selected()} />
          </div>
        </div>
      )}
    </Show>
  );
};

export const TraceDetailPage: Component = () => {
  const params = useParams<{ id: string }>();
  return (
    <ErrorBoundary
      fallback={(error, reset) => (
        <NotFound
          error={error}
          retry={() => {
            void revalidate([getTrace.keyFor(params.id), getTraceDag.keyFor(params.id)]);
            reset();
          }}
        />
      )}
    >
      <Suspense fallback={<DetailSkeleton />}>
        <TraceDetailView id={params.id} />
      </Suspense>
    </ErrorBoundary>
  );
};
