import { createAsync, useSearchParams } from "@solidjs/router";
import { type Component, createMemo, For, Match, Show, Switch } from "solid-js";
import { isRangeId, type RangeId } from "../api/analytics";
import {
  type FleetFilters,
  fleetRanges,
  getFleetCapabilities,
  getFleetOverview,
  getFleetWorkspaces,
} from "../api/fleet";
import { CostTab } from "../components/analytics/cost-tab";
import { AnalyticsEmpty } from "../components/analytics/states";
import { CapabilityTab } from "../components/fleet/capability-tab";
import type { FilterPatch } from "../components/fleet/fleet-filters";
import { readFleetFilters, readInactive, readTab, tabs } from "../components/fleet/fleet-state";
import { FleetTab } from "../components/fleet/fleet-tab";
import { analyticsHref, type Tab } from "../components/fleet/links";
import { OverviewTab } from "../components/fleet/overview-tab";
import { WorkspaceTab } from "../components/fleet/workspace-tab";
import { RequireSession } from "../components/require-session";

const headings: Record<Tab, string> = {
  overview: "Fleet overview",
  workspace: "Workspaces",
  capability: "Capabilities",
  cost: "Cost & latency",
};

const TabNav: Component<{ current: Tab; filters: FleetFilters; agent?: string }> = (props) => (
  <nav class="tabs" aria-label="Analytics views">
    <For each={tabs}>
      {(t) => (
        <a
          href={
            t.id === "cost"
              ? `/analytics?tab=cost${props.agent ? `&agent=${encodeURIComponent(props.agent)}` : ""}`
              : analyticsHref(t.id, props.filters)
          }
          aria-current={props.current === t.id ? "page" : undefined}
        >
          {t.label}
        </a>
      )}
    </For>
  </nav>
);

const rangeLabel = (f: FleetFilters) => (f.from && f.to ? "linked range" : fleetRanges[f.range].label);

type FleetProps = { filters: FleetFilters; onChange: (p: FilterPatch) => void };

const Overview: Component<FleetProps> = (props) => {
  const data = createAsync(() => getFleetOverview(props.filters));
  return (
    <FleetTab
      {...props}
      data={data}
      description="Interactions, errors, latency and providers across every workspace."
    >
      {(d) => (
        <Show
          when={d.capabilities.length > 0}
          fallback={
            <AnalyticsEmpty
              rangeLabel={rangeLabel(props.filters)}
              agent={undefined}
              onClearAgent={() => {}}
            />
          }
        >
          <OverviewTab data={d} filters={props.filters} />
        </Show>
      )}
    </FleetTab>
  );
};

const Workspaces: Component<FleetProps & { inactive: boolean; onInactive: (on: boolean) => void }> = (
  props,
) => {
  const data = createAsync(() => getFleetWorkspaces(props.filters, props.inactive));
  return (
    <FleetTab {...props} data={data} description="Which workspaces use your agents, how much, and how well.">
      {(d) => (
        <WorkspaceTab
          data={d}
          filters={props.filters}
          inactive={props.inactive}
          onInactive={props.onInactive}
        />
      )}
    </FleetTab>
  );
};

const Capabilities: Component<FleetProps> = (props) => {
  const data = createAsync(() => getFleetCapabilities(props.filters));
  return (
    <FleetTab {...props} data={data} description="What your agents are used for, and what changed.">
      {(d) => <CapabilityTab data={d} filters={props.filters} />}
    </FleetTab>
  );
};

export const AnalyticsPage: Component = () => {
  const [params, setParams] = useSearchParams();
  const tab = createMemo(() => readTab(params));
  const filters = createMemo(() => readFleetFilters(params), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const inactive = () => readInactive(params);
  const agent = () => (typeof params.agent === "string" && params.agent) || undefined;
  const costRange = (): RangeId => (isRangeId(params.range) ? params.range : "7d");
  const onChange = (patch: FilterPatch) => setParams(patch);
  const title = () =>
    (tab() === "capability" && filters().capability) || (tab() === "cost" && agent()) || headings[tab()];
  return (
    <RequireSession what="analytics">
      {() => (
        <div class="analytics">
          <header class="page-head">
            <p class="eyebrow">Analytics</p>
            <h1>{title()}</h1>
          </header>
          <TabNav current={tab()} filters={filters()} agent={agent()} />
          <Switch>
            <Match when={tab() === "overview"}>
              <Overview filters={filters()} onChange={onChange} />
            </Match>
            <Match when={tab() === "workspace"}>
              <Workspaces
                filters={filters()}
                onChange={onChange}
                inactive={inactive()}
                onInactive={(on) => setParams({ inactive: on ? "true" : undefined })}
              />
            </Match>
            <Match when={tab() === "capability"}>
              <Capabilities filters={filters()} onChange={onChange} />
            </Match>
            <Match when={tab() === "cost"}>
              <CostTab
                range={costRange()}
                agent={agent()}
                onRange={(r) => setParams({ range: r })}
                onAgent={(a) => setParams({ agent: a })}
              />
            </Match>
          </Switch>
        </div>
      )}
    </RequireSession>
  );
};
