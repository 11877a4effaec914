import { type Component, For, Show } from "solid-js";
import type { DryRun } from "../../api/governor";
import { formatCount, formatNumber, OutcomeBadge, traceHref } from "./shared";

const TILES = [
  ["red", "Red"],
  ["amber", "Amber"],
  ["pass", "Pass"],
  ["error", "Error"],
  ["not_applicable", "Not applicable"],
] as const;

const RANK: Record<string, number> = { red: 0, amber: 1, error: 2, pass: 3 };

/** What the draft would have said about recent spans, before it is saved. */
export const DryRunPanel: Component<{ result: DryRun; stale: boolean }> = (props) => (
  <section class="card gov-section gov-dry-run" aria-labelledby="dry-run-title" data-testid="dry-run">
    <div class="gov-section-head">
      <h2 id="dry-run-title">Dry run</h2>
      <Show when={props.stale}>
        <span class="badge muted-badge">The rule changed since this run</span>
      </Show>
    </div>
    <p class="muted">
      Checked against the {formatCount(props.result.spans_checked)} most recent spans. Nothing was saved and
      no alerts were sent.
    </p>
    <div class="gov-dry-tiles">
      <For each={TILES}>
        {([key, label]) => (
          <div class={`gov-dry-tile gov-tile-${key}`} data-testid={`dry-run-${key}`}>
            <strong>{formatCount(props.result.counts[key])}</strong>
            <span>{label}</span>
          </div>
        )}
      </For>
    </div>
    <Show
      when={props.result.matches.length > 0}
      fallback={<p class="empty">No span would have been amber, red or an error.</p>}
    >
      <h3>Spans it would flag</h3>
      <div class="table-wrap">
        <table class="data-table gov-table" aria-label="Spans the draft would flag">
          <thead>
            <tr>
              <th>Outcome</th>
              <th>Span</th>
              <th class="num">Measured</th>
              <th class="num">Score</th>
              <th>Explanation</th>
              <th>
                <span class="visually-hidden">Trace</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For
              each={[...props.result.matches].sort((a, b) => (RANK[a.outcome] ?? 9) - (RANK[b.outcome] ?? 9))}
            >
              {(m) => (
                <tr>
                  <td>
                    <OutcomeBadge outcome={m.outcome} />
                  </td>
                  <td>
                    <code>{m.span_name}</code>
                    <span class="sub muted">trace {m.trace_id}</span>
                  </td>
                  <td class="num">{formatNumber(m.measured)}</td>
                  <td class="num">{m.score === null ? "—" : m.score.toFixed(2)}</td>
                  <td class="explanation">{m.explanation}</td>
                  <td class="actions">
                    <a href={traceHref(m.trace_id, m.span_id)}>Trace →</a>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={props.result.matches.length >= 100}>
        <p class="hint">Showing the first 100 flagged spans.</p>
      </Show>
    </Show>
  </section>
);
