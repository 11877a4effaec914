import { useNavigate } from "@solidjs/router";
import { type Component, createMemo, For, Show } from "solid-js";
import type { FleetCapabilities, FleetFilters } from "../../api/fleet";
import { Chart } from "../analytics/chart";
import { count, ms, otherColor, palette } from "../analytics/format";
import { KpiLink } from "./kpi-link";
import { analyticsHref, dayRange, daysBetween, dayX, rangeOf, tracesHref } from "./links";
import { Scatter } from "./scatter";

type Props = { data: FleetCapabilities; filters: FleetFilters };
type Row = FleetCapabilities["table"][number];

const DAY = 86_400_000;
const TABLE_ROWS = 60;

const stateText: Record<Row["state"], string> = {
  normal: "Normal",
  spike: "Spike",
  drop: "Drop",
  high: "Above usual",
  low: "Below usual",
  new: "New",
};

const Kpis: Component<Props> = (props) => {
  const to = () => Date.parse(props.data.to);
  const newNames = () => props.data.new_capabilities.map((c) => c.capability).join(", ");
  const last24h = () =>
    analyticsHref("capability", { ...props.filters, range: "24h", from: undefined, to: undefined });
  return (
    <section class="kpis" aria-label="Key numbers">
      <KpiLink
        testid="kpi-new-capabilities"
        label="New capabilities (7 d)"
        value={count(props.data.kpis.new_capabilities_7d)}
        note={newNames() || undefined}
        hint="Capabilities first seen in the last 7 days."
        href={tracesHref({
          from: to() - 7 * DAY,
          to: to(),
          capability: props.data.new_capabilities[0]?.capability,
        })}
      />
      <KpiLink
        testid="kpi-spikes"
        label="Spikes (24 h)"
        value={count(props.data.kpis.spikes_24h)}
        tone={props.data.kpis.spikes_24h > 0 ? "bad" : undefined}
        hint="Spike alerts raised in the last 24 hours: a capability far above its usual daily count."
        href={last24h()}
      />
      <KpiLink
        testid="kpi-drops"
        label="Drops (24 h)"
        value={count(props.data.kpis.drops_24h)}
        tone={props.data.kpis.drops_24h > 0 ? "bad" : undefined}
        hint="Drop alerts raised in the last 24 hours: a capability far below its usual count, or silent in business hours."
        href={last24h()}
      />
    </section>
  );
};

const SEVERITIES = ["critical", "warning", "info"] as const;

const SeverityCell: Component<{ severity: (typeof SEVERITIES)[number]; count: number }> = (props) => (
  <td class="num">
    <span class={`sev sev-${props.severity}`} classList={{ zero: props.count === 0 }}>
      {props.count}
    </span>
  </td>
);

const Anomalies: Component<Props> = (props) => (
  <section class="card chart-card" aria-labelledby="anomalies-title" data-testid="anomalies">
    <header class="chart-head">
      <div>
        <h2 id="anomalies-title">Anomalies</h2>
        <p class="muted">Alerts raised in the range, per capability and severity.</p>
      </div>
    </header>
    <Show when={props.data.anomalies.length > 0} fallback={<p class="empty">No anomalies in this range.</p>}>
      <div class="table-wrap">
        <table class="data-table">
          <thead>
            <tr>
              <th>Capability</th>
              <th class="num">Critical</th>
              <th class="num">Warning</th>
              <th class="num">Info</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.data.anomalies}>
              {(a) => (
                <tr>
                  <td>
                    <a href={analyticsHref("capability", { ...props.filters, capability: a.capability })}>
                      {a.capability}
                    </a>
                  </td>
                  <For each={SEVERITIES}>
                    {(severity) => <SeverityCell severity={severity} count={a[severity]} />}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  </section>
);

const LatencyBands: Component<Props> = (props) => {
  const days = createMemo(() => daysBetween(props.data.from, props.data.to));
  const series = createMemo(() => {
    const byDay = new Map(props.data.latency.map((l) => [l.day, l]));
    const pick = (key: "p50_ms" | "p90_ms" | "p99_ms") => days().map((d) => byDay.get(d)?.[key] ?? null);
    return [
      { label: "p50", color: "#6366f1", values: pick("p50_ms") },
      { label: "p90", color: "#f59e0b", values: pick("p90_ms") },
      { label: "p99", color: "#ef4444", values: pick("p99_ms") },
    ];
  });
  return (
    <section class="card chart-card" aria-labelledby="bands-title" data-testid="latency-bands">
      <header class="chart-head">
        <div>
          <h2 id="bands-title">Latency</h2>
          <p class="muted">
            Per day: half of interactions finished under p50, 90 % under p90, 99 % under p99.
          </p>
        </div>
      </header>
      <Chart
        label="Latency percentiles per day"
        xs={days().map(dayX)}
        series={series()}
        mode="line"
        axis={{ kind: "time", bucket: "day" }}
        format={ms}
        legendTotals={false}
        height={220}
      />
    </section>
  );
};

const Outcomes: Component<Props> = (props) => {
  const max = () => Math.max(1, ...props.data.outcomes.map((o) => o.success + o.failure));
  const range = () => rangeOf(props.data);
  return (
    <section class="card chart-card" aria-labelledby="outcomes-title" data-testid="outcomes">
      <header class="chart-head">
        <div>
          <h2 id="outcomes-title">Success and failure</h2>
          <p class="muted">Interactions per capability; the red part failed. A bar opens the failures.</p>
        </div>
      </header>
      <ol class="leaderboard">
        <For each={props.data.outcomes}>
          {(o) => (
            <li>
              <a
                class="leader-name"
                href={analyticsHref("capability", { ...props.filters, capability: o.capability })}
                title={o.capability}
              >
                {o.capability}
              </a>
              <a
                class="hbar"
                href={tracesHref({ ...range(), capability: o.capability, status: "error" })}
                aria-label={`${o.capability}: ${o.success} succeeded, ${o.failure} failed`}
              >
                <div class="hbar-track" aria-hidden="true">
                  <span class="hbar-fill" style={{ width: `${((o.success + o.failure) / max()) * 100}%` }}>
                    <span
                      class="hbar-err"
                      style={{ width: `${(o.failure / Math.max(1, o.success + o.failure)) * 100}%` }}
                    />
                  </span>
                </div>
                <span class="hbar-value">
                  {count(o.success)} / <span class="text-bad">{count(o.failure)}</span>
                </span>
              </a>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
};

const DayTable: Component<Props> = (props) => {
  const navigate = useNavigate();
  const href = (r: Row) =>
    tracesHref({ ...dayRange(r.day), capability: r.capability, provider: props.filters.provider });
  return (
    <section class="card chart-card" aria-labelledby="days-title" data-testid="capability-table">
      <header class="chart-head">
        <div>
          <h2 id="days-title">By day</h2>
          <p class="muted">
            Each day's interactions against the median of the 7 days before it. A row opens that day's traces.
          </p>
        </div>
      </header>
      <div class="table-wrap">
        <table class="data-table day-table" aria-label="Interactions per capability and day">
          <thead>
            <tr>
              <th>Date</th>
              <th>Capability</th>
              <th class="num">Interactions</th>
              <th class="num">7-day median</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.data.table.slice(0, TABLE_ROWS)}>
              {(r) => (
                <tr class="day-row" onClick={() => navigate(href(r))}>
                  <td class="date">
                    <a href={href(r)} onClick={(e) => e.stopPropagation()}>
                      {r.day}
                    </a>
                  </td>
                  <td>{r.capability}</td>
                  <td class="num">{count(r.interactions)}</td>
                  <td class="num">{r.median_7d === null ? "—" : count(r.median_7d)}</td>
                  <td>
                    <span class={`state state-${r.state}`}>{stateText[r.state]}</span>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
};

export const CapabilityTab: Component<Props> = (props) => {
  const names = () => [...new Set(props.data.outcomes.map((o) => o.capability))];
  return (
    <>
      <Kpis data={props.data} filters={props.filters} />
      <div class="chart-grid">
        <LatencyBands data={props.data} filters={props.filters} />
        <Anomalies data={props.data} filters={props.filters} />
      </div>
      <div class="chart-grid">
        <Outcomes data={props.data} filters={props.filters} />
        <section class="card chart-card" aria-labelledby="scatter-title" data-testid="scatter">
          <header class="chart-head">
            <div>
              <h2 id="scatter-title">Prompt length and duration</h2>
              <p class="muted">One dot per recent interaction: prompt characters across, duration up.</p>
            </div>
          </header>
          <Show
            when={props.data.scatter.length > 0}
            fallback={<p class="empty">No interactions in this range.</p>}
          >
            <Scatter points={props.data.scatter} capabilities={names()} />
            <ul class="legend static">
              <For each={names().slice(0, palette.length)}>
                {(n, i) => (
                  <li>
                    <span class="swatch" style={{ background: palette[i()] ?? otherColor }} />
                    {n}
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </div>
      <DayTable data={props.data} filters={props.filters} />
    </>
  );
};
