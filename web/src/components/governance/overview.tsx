import { createAsync } from "@solidjs/router";
import { type Component, For, Show, Suspense } from "solid-js";
import { getSummary, listRules } from "../../api/governor";
import { GovernanceHeader } from "./governance-header";
import { LatestAlerts } from "./latest-alerts";
import { GroupCards, TotalTiles } from "./overview-stats";
import { RangePicker, useRange } from "./range-picker";
import { RuleCountsTable } from "./rule-counts-table";
import { SectionBoundary } from "./section-boundary";
import { Skeleton, totalOf } from "./shared";
import { TrendChart } from "./trend-chart";

const RANGE_TEXT = { "24h": "the last 24 hours", "7d": "the last 7 days", "30d": "the last 30 days" };

const SectionSkeleton: Component<{ rows?: number; height?: string }> = (props) => (
  <div class="gov-skeleton-stack">
    <For each={Array.from({ length: props.rows ?? 3 })}>{() => <Skeleton height={props.height} />}</For>
  </div>
);

/** What the governor found in the chosen range: totals, the daily trend, groups, rules and alerts. */
export const Overview: Component = () => {
  const range = useRange();
  const summary = createAsync(() => getSummary(range()));
  const rules = createAsync(() => listRules());
  const ruleGroups = () => rules()?.data.map((r) => r.policy_group) ?? [];
  return (
    <div class="gov-page">
      <GovernanceHeader
        title="Governance"
        lead={<>How your agents' spans measured up against your rules in {RANGE_TEXT[range()]}.</>}
        actions={<RangePicker />}
      />
      <SectionBoundary what="the totals">
        <Suspense fallback={<SectionSkeleton rows={1} height="5.5rem" />}>
          <Show when={summary()}>{(s) => <TotalTiles totals={s().totals} />}</Show>
        </Suspense>
      </SectionBoundary>

      <section class="card gov-section" aria-labelledby="trend-title">
        <h2 id="trend-title">Outcomes per day</h2>
        <SectionBoundary what="the trend">
          <Suspense fallback={<Skeleton height="240px" />}>
            <Show when={summary()}>
              {(s) => (
                <Show
                  when={totalOf(s().totals) > 0}
                  fallback={
                    <p class="empty">
                      No spans were evaluated in this range. Send traces with an API key from the{" "}
                      <a href="/">home page</a> and every span is checked as it arrives.
                    </p>
                  }
                >
                  <TrendChart summary={s()} />
                </Show>
              )}
            </Show>
          </Suspense>
        </SectionBoundary>
      </section>

      <div class="gov-columns">
        <section class="gov-section" aria-labelledby="groups-title">
          <div class="gov-section-head">
            <h2 id="groups-title">Policy groups</h2>
            <span class="hint">Select a group to filter the rules below.</span>
          </div>
          <SectionBoundary what="the policy groups">
            <Suspense fallback={<SectionSkeleton rows={2} height="6rem" />}>
              <Show when={summary()}>
                {(s) => <GroupCards groups={s().policy_groups} ruleGroups={ruleGroups()} />}
              </Show>
            </Suspense>
          </SectionBoundary>
        </section>
        <section class="card gov-section" aria-labelledby="alerts-title">
          <h2 id="alerts-title">Latest alerts</h2>
          <SectionBoundary what="the latest alerts">
            <Suspense fallback={<SectionSkeleton rows={4} height="3.5rem" />}>
              <LatestAlerts range={range()} />
            </Suspense>
          </SectionBoundary>
        </section>
      </div>

      <section class="card gov-section" aria-labelledby="rules-title">
        <div class="gov-section-head">
          <h2 id="rules-title">Rules</h2>
          <a href="/governance/rules" class="button small secondary">
            Manage rules
          </a>
        </div>
        <SectionBoundary what="the rules">
          <Suspense fallback={<SectionSkeleton rows={6} />}>
            <Show when={summary()}>
              {(s) => <Show when={rules()}>{(r) => <RuleCountsTable summary={s()} rules={r().data} />}</Show>}
            </Show>
          </Suspense>
        </SectionBoundary>
      </section>
    </div>
  );
};
