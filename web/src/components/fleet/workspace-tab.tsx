import { type Component, createMemo, For, Show } from "solid-js";
import type { FleetFilters, FleetWorkspaces } from "../../api/fleet";
import { count, percent, usd } from "../analytics/format";
import { Time } from "../time";
import { FreshnessGauge } from "./freshness";
import { Heatmap } from "./heatmap";
import { rangeOf, tracesHref } from "./links";

type Props = {
  data: FleetWorkspaces;
  filters: FleetFilters;
  inactive: boolean;
  onInactive: (on: boolean) => void;
};

const LEADERS = 10;
const HEATMAP_ROWS = 12;

type Row = FleetWorkspaces["workspaces"][number];

const Leaderboard: Component<{ rows: Row[]; href: (w: string) => string }> = (props) => {
  const max = () => Math.max(1, ...props.rows.map((r) => r.interactions));
  return (
    <section class="card chart-card" aria-labelledby="leaders-title" data-testid="workspace-leaderboard">
      <header class="chart-head">
        <div>
          <h2 id="leaders-title">Busiest workspaces</h2>
          <p class="muted">Interactions over the range; the red part failed.</p>
        </div>
      </header>
      <ol class="leaderboard">
        <For each={props.rows.slice(0, LEADERS)}>
          {(r) => (
            <li>
              <a class="leader-name" href={props.href(r.workspace)} title={r.workspace}>
                {r.workspace}
              </a>
              <div class="hbar">
                <div class="hbar-track" aria-hidden="true">
                  <span class="hbar-fill" style={{ width: `${(r.interactions / max()) * 100}%` }}>
                    <span class="hbar-err" style={{ width: `${r.error_rate * 100}%` }} />
                  </span>
                </div>
                <span class="hbar-value">{count(r.interactions)}</span>
              </div>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
};

const WorkspaceTable: Component<{
  rows: Row[];
  href: (w: string) => string;
  errorsHref: (w: string) => string;
}> = (props) => (
  <div class="table-wrap">
    <table class="data-table workspaces" aria-label="Workspaces">
      <thead>
        <tr>
          <th>Workspace</th>
          <th>Last interaction</th>
          <th class="num">Interactions</th>
          <th class="num">Error rate</th>
          <th class="num">Capabilities</th>
          <th class="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(r) => (
            <tr classList={{ flagged: r.flagged }} data-flagged={r.flagged ? "true" : undefined}>
              <td>
                <a href={props.href(r.workspace)}>{r.workspace}</a>
                <Show when={r.inactive}>
                  <span class="badge muted-badge row-badge">inactive</span>
                </Show>
              </td>
              <td class="date">
                <Time value={r.last_interaction_at} />
              </td>
              <td class="num">{count(r.interactions)}</td>
              <td class="num" classList={{ "text-bad": r.flagged }}>
                <Show when={r.errors > 0} fallback={percent(r.error_rate)}>
                  <a href={props.errorsHref(r.workspace)} classList={{ "text-bad": r.flagged }}>
                    {percent(r.error_rate)}
                  </a>
                </Show>
                <Show when={r.flagged}>
                  <span class="flag" title="Over the 5 % error-rate target">
                    {" "}
                    ▲
                  </span>
                </Show>
              </td>
              <td class="num">{count(r.capabilities)}</td>
              <td class="num">{usd(r.cost_usd)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  </div>
);

export const WorkspaceTab: Component<Props> = (props) => {
  const range = createMemo(() => rangeOf(props.data));
  const drill = (workspace: string, status?: "error") =>
    tracesHref({
      ...range(),
      workspace,
      status,
      provider: props.filters.provider,
      capability: props.filters.capability,
    });
  const heatRows = () => props.data.workspaces.slice(0, HEATMAP_ROWS).map((w) => w.workspace);
  const flagged = () => props.data.workspaces.filter((w) => w.flagged).length;
  return (
    <>
      <div class="chart-grid workspace-top">
        <Leaderboard rows={props.data.workspaces} href={(w) => drill(w)} />
        <FreshnessGauge freshness={props.data.freshness} />
      </div>
      <section class="card chart-card" aria-labelledby="heatmap-title" data-testid="workspace-heatmap">
        <header class="chart-head">
          <div>
            <h2 id="heatmap-title">Interactions by day</h2>
            <p class="muted">
              One row per workspace (the busiest {HEATMAP_ROWS}); darker cells had more interactions.
            </p>
          </div>
        </header>
        <Show when={heatRows().length > 0} fallback={<p class="empty">No interactions in this range.</p>}>
          <Heatmap
            data={props.data}
            workspaces={heatRows()}
            provider={props.filters.provider}
            capability={props.filters.capability}
          />
        </Show>
      </section>
      <section class="card chart-card" aria-labelledby="workspaces-title" data-testid="workspace-table">
        <header class="chart-head">
          <div>
            <h2 id="workspaces-title">All workspaces</h2>
            <p class="muted">
              Rows over the 5 % error-rate target are marked red{flagged() > 0 ? ` (${flagged()} now)` : ""}.
            </p>
          </div>
          <label class="toggle">
            <input
              type="checkbox"
              checked={props.inactive}
              onChange={(e) => props.onInactive(e.currentTarget.checked)}
            />
            Only inactive 7 d
          </label>
        </header>
        <Show
          when={props.data.workspaces.length > 0}
          fallback={
            <p class="empty">
              {props.inactive
                ? "Every workspace had an interaction in the last 7 days."
                : "No workspaces in this range."}
            </p>
          }
        >
          <WorkspaceTable
            rows={props.data.workspaces}
            href={(w) => drill(w)}
            errorsHref={(w) => drill(w, "error")}
          />
        </Show>
      </section>
    </>
  );
};
