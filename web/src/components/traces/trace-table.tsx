import { useNavigate } from "@solidjs/router";
import { type Component, For, Index, Show } from "solid-js";
import type { Trace } from "../../api/traces";
import { OutcomeBadge, StatusBadge } from "./badges";
import {
  formatAgo,
  formatCost,
  formatCount,
  formatDateTime,
  formatDuration,
  formatTokens,
  sumTokens,
} from "./format";

const columns = [
  "Status",
  "Agent",
  "Name",
  "Started",
  "Duration",
  "Spans",
  "Tokens",
  "Cost",
  "Rules",
] as const;
const numeric = new Set<string>(["Duration", "Spans", "Tokens", "Cost"]);
const columnClass: Partial<Record<(typeof columns)[number], string>> = {
  Agent: "agent-col",
  Name: "name-col",
};

const Head: Component = () => (
  <thead>
    <tr>
      <For each={columns}>
        {(c) => (
          <th scope="col" class={columnClass[c]} classList={{ num: numeric.has(c) }}>
            {c}
          </th>
        )}
      </For>
    </tr>
  </thead>
);

const Row: Component<{ trace: Trace; fresh: boolean; now: number }> = (props) => {
  const navigate = useNavigate();
  const href = () => `/traces/${encodeURIComponent(props.trace.id)}`;
  return (
    <tr
      data-id={props.trace.id}
      classList={{ fresh: props.fresh, failed: props.trace.status === "error" }}
      onClick={(e) => {
        // The name is a real link (keyboard, middle-click); the rest of the row follows it.
        if ((e.target as Element).closest("a") || window.getSelection()?.toString()) return;
        navigate(href());
      }}
    >
      <td>
        <StatusBadge status={props.trace.status} running={props.trace.ended_at === null} />
      </td>
      <td class="agent-cell agent-col" title={props.trace.agent}>
        {props.trace.agent}
      </td>
      <td class="name-cell name-col">
        <a href={href()} class="row-link">
          {props.trace.name ?? "Untitled trace"}
        </a>
        <span class="name-sub">
          {/* Shown when the agent column is dropped on narrow screens. */}
          <span class="name-agent">{props.trace.agent}</span>
          <code class="trace-id" title={props.trace.id}>
            {props.trace.id}
          </code>
        </span>
      </td>
      <td class="time-cell">
        <time datetime={props.trace.started_at} title={formatDateTime(props.trace.started_at)}>
          {formatAgo(props.trace.started_at, props.now)}
        </time>
      </td>
      <td class="num">{formatDuration(props.trace.duration_ms)}</td>
      <td class="num">
        {formatCount(props.trace.span_count)}
        <Show when={props.trace.error_count > 0}>
          <span class="error-count" title={`${props.trace.error_count} failed spans`}>
            {formatCount(props.trace.error_count)} failed
          </span>
        </Show>
      </td>
      <td class="num">{formatTokens(sumTokens(props.trace.usage))}</td>
      <td class="num">{formatCost(props.trace.usage.cost_usd)}</td>
      <td>
        <OutcomeBadge outcome={props.trace.worst_outcome} />
      </td>
    </tr>
  );
};

export const TraceTable: Component<{
  rows: readonly Trace[];
  fresh: Record<string, boolean>;
  now: number;
  dimmed: boolean;
  ref?: (el: HTMLTableElement) => void;
}> = (props) => (
  <div class="table-wrap traces-table-wrap surface" classList={{ dimmed: props.dimmed }}>
    <table class="data-table traces-table" ref={props.ref} aria-label="Traces" aria-busy={props.dimmed}>
      <Head />
      <tbody>
        <For each={props.rows}>
          {(trace) => <Row trace={trace} fresh={!!props.fresh[trace.id]} now={props.now} />}
        </For>
      </tbody>
    </table>
  </div>
);

/** The table's shape with shimmering cells while the first page loads. */
export const TraceTableSkeleton: Component = () => (
  <div class="table-wrap traces-table-wrap surface" aria-busy="true">
    <span class="visually-hidden">Loading traces…</span>
    <table class="data-table traces-table skeleton-table">
      <Head />
      <tbody>
        <Index each={Array.from({ length: 8 })}>
          {() => (
            <tr>
              <Index each={columns}>
                {() => (
                  <td>
                    <span class="skeleton" />
                  </td>
                )}
              </Index>
            </tr>
          )}
        </Index>
      </tbody>
    </table>
  </div>
);
