import { createAsync } from "@solidjs/router";
import { type Component, createEffect, createSignal, For, on, Show, Suspense } from "solid-js";
import { type EvaluationFilter, type GovEvaluation, listEvaluations } from "../../api/governor";
import { formatNumber, OutcomeBadge, ShortTime, TraceScope, traceHref } from "./shared";

const PAGE = 25;
const COLUMNS = 6;

const Row: Component<{ e: GovEvaluation }> = (props) => (
  <tr>
    <td class="nowrap">
      <ShortTime value={props.e.evaluated_at} />
    </td>
    <td>
      <OutcomeBadge outcome={props.e.outcome} />
    </td>
    <td>
      <TraceScope scope={props.e.scope} />
      <code>{props.e.span_name}</code>
      <span class="sub muted nowrap">
        {props.e.scope === "trace" ? "crossed at this " : ""}
        {props.e.span_type} · {props.e.agent}
      </span>
    </td>
    <td class="num">
      {formatNumber(props.e.measured)}
      <Show when={props.e.limit !== null}>
        <span class="muted"> / {formatNumber(props.e.limit)}</span>
      </Show>
      <Show when={props.e.score !== null}>
        <span class="sub muted">score {props.e.score?.toFixed(2)}</span>
      </Show>
    </td>
    <td class="explanation">
      {props.e.explanation}
      <span class="sub muted">
        r{props.e.rule_revision} · v{props.e.rule_version}
      </span>
    </td>
    <td class="actions">
      <a
        href={traceHref(props.e.trace_id, props.e.span_id)}
        aria-label={`Trace of span ${props.e.span_name}`}
      >
        Trace →
      </a>
    </td>
  </tr>
);

const Page: Component<{ filter: EvaluationFilter; last: boolean; onMore: (cursor: string) => void }> = (
  props,
) => {
  const page = createAsync(() => listEvaluations(props.filter));
  return (
    <Show when={page()}>
      {(p) => (
        <>
          <For each={p().data}>{(e) => <Row e={e} />}</For>
          <Show when={props.last && p().next_cursor}>
            {(cursor) => (
              <tr class="more">
                <td colSpan={COLUMNS}>
                  <button type="button" class="button small secondary" onClick={() => props.onMore(cursor())}>
                    Load older evaluations
                  </button>
                </td>
              </tr>
            )}
          </Show>
          <Show when={!p().next_cursor && props.filter.cursor}>
            <tr class="more">
              <td colSpan={COLUMNS} class="muted">
                That's all of them.
              </td>
            </tr>
          </Show>
        </>
      )}
    </Show>
  );
};

const Loading: Component = () => (
  <tr>
    <td colSpan={COLUMNS} class="muted">
      Loading evaluations…
    </td>
  </tr>
);

/** Evaluations newest first, a page at a time ("Load older" follows the cursor). */
export const EvaluationTable: Component<{ filter: EvaluationFilter; empty: string }> = (props) => {
  const [cursors, setCursors] = createSignal<(string | undefined)[]>([undefined]);
  createEffect(
    on(
      () => JSON.stringify(props.filter),
      () => setCursors([undefined]),
      { defer: true },
    ),
  );
  const first = createAsync(() => listEvaluations({ ...props.filter, limit: PAGE }));
  return (
    <Show when={first()?.data.length !== 0} fallback={<p class="empty">{props.empty}</p>}>
      <div class="table-wrap">
        <table class="data-table gov-table gov-evaluations" aria-label="Evaluations">
          <thead>
            <tr>
              <th>Evaluated</th>
              <th>Outcome</th>
              <th>Span</th>
              <th class="num">Measured</th>
              <th>Explanation</th>
              <th>
                <span class="visually-hidden">Trace</span>
              </th>
            </tr>
          </thead>
          <For each={cursors()}>
            {(cursor, i) => (
              <tbody>
                <Suspense fallback={<Loading />}>
                  <Page
                    filter={{ ...props.filter, limit: PAGE, cursor }}
                    last={i() === cursors().length - 1}
                    onMore={(next) => setCursors((c) => [...c, next])}
                  />
                </Suspense>
              </tbody>
            )}
          </For>
        </table>
      </div>
    </Show>
  );
};
