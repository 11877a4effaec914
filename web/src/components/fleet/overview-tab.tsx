import { type Component, createMemo, For, Show } from "solid-js";
import type { FleetFilters, FleetOverview } from "../../api/fleet";
import { Chart } from "../analytics/chart";
import { count, ms, otherColor, palette, percent, usd } from "../analytics/format";
import { Donut } from "./donut";
import { KpiLink } from "./kpi-link";
import { analyticsHref, daysBetween, dayX, rangeOf, tracesHref } from "./links";

type Props = { data: FleetOverview; filters: FleetFilters };

const DAY = 86_400_000;
const SHOWN_CAPABILITIES = 6;

const Kpis: Component<Props> = (props) => {
  const k = () => props.data.kpis;
  const to = () => Date.parse(props.data.to);
  const last24h = () => ({
    from: to() - DAY,
    to: to(),
    capability: props.filters.capability,
    provider: props.filters.provider,
  });
  const over = () => (k().error_rate_24h ?? 0) > props.data.error_rate_target;
  return (
    <section class="kpis" aria-label="Key numbers">
      <KpiLink
        testid="kpi-interactions"
        label="Interactions (24 h)"
        value={count(k().interactions_24h)}
        hint="Traces started in the last 24 hours."
        href={tracesHref(last24h())}
      />
      <KpiLink
        testid="kpi-workspaces"
        label="Active workspaces (7 d)"
        value={count(k().active_workspaces_7d)}
        hint="Workspaces with at least one interaction in the last 7 days."
        href={analyticsHref("workspace", { ...props.filters, range: "7d", from: undefined, to: undefined })}
      />
      <KpiLink
        testid="kpi-error-rate"
        label="Error rate (24 h)"
        value={k().error_rate_24h === null ? "—" : percent(k().error_rate_24h ?? 0)}
        note={
          k().error_rate_24h === null
            ? undefined
            : over()
              ? `Above the ${percent(props.data.error_rate_target)} target`
              : "Within target"
        }
        tone={over() ? "bad" : undefined}
        hint="Failed interactions ÷ all interactions over the last 24 hours."
        href={tracesHref({ ...last24h(), status: "error" })}
      />
      <KpiLink
        testid="kpi-p95"
        label="p95 latency (24 h)"
        value={k().p95_ms_24h === null ? "—" : ms(k().p95_ms_24h ?? 0)}
        hint="95 % of the last 24 hours' interactions finished faster than this."
        href={tracesHref(last24h())}
      />
    </section>
  );
};

const InteractionsCard: Component<Props & { xs: number[]; days: string[] }> = (props) => {
  const series = createMemo(() => {
    const ranked = [...props.data.interactions_by_capability].sort(
      (a, b) => b.points.reduce((s, p) => s + p.value, 0) - a.points.reduce((s, p) => s + p.value, 0),
    );
    return ranked.map((s, i) => {
      const byDay = new Map(s.points.map((p) => [p.day, p.value]));
      return {
        label: s.key,
        color: palette[i % palette.length] ?? otherColor,
        values: props.days.map((d) => byDay.get(d) ?? 0),
      };
    });
  });
  return (
    <section class="card chart-card" aria-labelledby="by-capability-title" data-testid="interactions-chart">
      <header class="chart-head">
        <div>
          <h2 id="by-capability-title">Interactions by capability</h2>
          <p class="muted">Traces started per day, stacked by the capability they served.</p>
        </div>
      </header>
      <Chart
        label="Interactions per day, stacked by capability"
        xs={props.xs}
        series={series()}
        mode="area"
        axis={{ kind: "time", bucket: "day" }}
        format={count}
        total
        height={260}
      />
    </section>
  );
};

const ErrorRateCard: Component<Props & { xs: number[]; days: string[] }> = (props) => {
  const target = () => props.data.error_rate_target;
  const series = createMemo(() => {
    const byDay = new Map(props.data.error_rate.map((p) => [p.day, p.value]));
    return [{ label: "Error rate", color: "#ef4444", values: props.days.map((d) => byDay.get(d) ?? null) }];
  });
  return (
    <section class="card chart-card" aria-labelledby="fleet-errors-title" data-testid="error-rate-chart">
      <header class="chart-head">
        <div>
          <h2 id="fleet-errors-title">Error rate</h2>
          <p class="muted">
            Failed ÷ all interactions per day. The green band is the target: at most {percent(target())}.
          </p>
        </div>
      </header>
      <Chart
        label={`Error rate per day against a ${percent(target())} target`}
        xs={props.xs}
        series={series()}
        mode="line"
        axis={{ kind: "time", bucket: "day" }}
        format={percent}
        target={{ value: target(), label: `Target ≤ ${percent(target())}` }}
        legend={false}
        height={220}
      />
    </section>
  );
};

const ProviderCard: Component<Props> = (props) => {
  const slices = () =>
    props.data.provider_mix.map((p) => ({
      label: p.provider,
      value: p.interactions,
      href: analyticsHref("overview", { ...props.filters, provider: p.provider }),
    }));
  return (
    <section class="card chart-card" aria-labelledby="providers-title" data-testid="provider-mix">
      <header class="chart-head">
        <div>
          <h2 id="providers-title">Provider mix</h2>
          <p class="muted">Interactions by the LLM provider they called. Pick one to filter by it.</p>
        </div>
      </header>
      <Show when={slices().length > 0} fallback={<p class="empty">No LLM calls in this range.</p>}>
        <Donut label="Interactions by provider" slices={slices()} />
      </Show>
    </section>
  );
};

const CapabilityTable: Component<Props> = (props) => {
  const rows = () => props.data.capabilities.slice(0, SHOWN_CAPABILITIES * 3);
  const range = () => rangeOf(props.data);
  const target = () => props.data.error_rate_target;
  return (
    <section class="card chart-card" aria-labelledby="capabilities-title" data-testid="capability-summary">
      <header class="chart-head">
        <div>
          <h2 id="capabilities-title">Capabilities</h2>
          <p class="muted">Over the whole range. A capability opens its own tab; a count opens its traces.</p>
        </div>
      </header>
      <div class="table-wrap">
        <table class="data-table">
          <thead>
            <tr>
              <th>Capability</th>
              <th class="num">Interactions</th>
              <th class="num">Error rate</th>
              <th class="num">p95</th>
              <th class="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(c) => (
                <tr>
                  <td>
                    <a href={analyticsHref("capability", { ...props.filters, capability: c.capability })}>
                      {c.capability}
                    </a>
                  </td>
                  <td class="num">
                    <a
                      href={tracesHref({
                        ...range(),
                        capability: c.capability,
                        provider: props.filters.provider,
                      })}
                    >
                      {count(c.interactions)}
                    </a>
                  </td>
                  <td class="num" classList={{ "text-bad": c.error_rate > target() }}>
                    {percent(c.error_rate)}
                  </td>
                  <td class="num">{c.p95_ms === null ? "—" : ms(c.p95_ms)}</td>
                  <td class="num">{usd(c.cost_usd)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
};

export const OverviewTab: Component<Props> = (props) => {
  const days = createMemo(() => daysBetween(props.data.from, props.data.to));
  const xs = createMemo(() => days().map(dayX));
  return (
    <>
      <Kpis data={props.data} filters={props.filters} />
      <InteractionsCard data={props.data} filters={props.filters} xs={xs()} days={days()} />
      <div class="chart-grid">
        <ErrorRateCard data={props.data} filters={props.filters} xs={xs()} days={days()} />
        <ProviderCard data={props.data} filters={props.filters} />
      </div>
      <CapabilityTable data={props.data} filters={props.filters} />
    </>
  );
};
