import { createAsync, useSearchParams } from "@solidjs/router";
import { type Component, createMemo, For, Show, Suspense } from "solid-js";
import { ApiError } from "../../api/client";
import { type GovRule, getRule, getSummary, type OutcomeName, rangeStart } from "../../api/governor";
import { EvaluationTable } from "./evaluation-table";
import { GovernanceHeader } from "./governance-header";
import { humanize } from "./overview-stats";
import { RangePicker, useRange } from "./range-picker";
import { RevisionHistory } from "./revision-history";
import { DeleteRule, RuleToggle } from "./rule-actions";
import { SectionBoundary } from "./section-boundary";
import { CountBar, formatCount, OUTCOMES, outcomeLabel, SeverityBadge, Skeleton } from "./shared";

const isOutcome = (v: unknown): v is OutcomeName =>
  typeof v === "string" && (OUTCOMES as readonly string[]).includes(v);

/** The rule's counts in the range; each number filters the evaluations below. */
const RuleCounts: Component<{ ruleId: string }> = (props) => {
  const range = useRange();
  const summary = createAsync(() => getSummary(range()));
  const [search, setSearch] = useSearchParams();
  const counts = () =>
    summary()?.rules.find((r) => r.rule_id === props.ruleId) ?? { pass: 0, amber: 0, red: 0, error: 0 };
  return (
    <div class="gov-rule-counts">
      <fieldset class="segmented gov-segmented outcome-filter" aria-label="Filter evaluations by outcome">
        <button
          type="button"
          aria-pressed={!isOutcome(search.outcome)}
          onClick={() => setSearch({ outcome: undefined })}
        >
          All
        </button>
        <For each={[...OUTCOMES]}>
          {(o) => (
            <button
              type="button"
              aria-pressed={search.outcome === o}
              onClick={() => setSearch({ outcome: o })}
            >
              <span class={`gov-swatch gov-bar-${o}`} aria-hidden="true" />
              {outcomeLabel[o]} <strong>{formatCount(counts()[o])}</strong>
            </button>
          )}
        </For>
      </fieldset>
      <CountBar counts={counts()} class="wide" />
    </div>
  );
};

const Meta: Component<{ rule: GovRule }> = (props) => (
  <dl class="gov-meta">
    <div>
      <dt>Group</dt>
      <dd>{humanize(props.rule.policy_group)}</dd>
    </div>
    <div>
      <dt>Severity</dt>
      <dd>
        <SeverityBadge severity={props.rule.severity} />
      </dd>
    </div>
    <div>
      <dt>Target</dt>
      <dd>
        <code class="prefix">{props.rule.target_span_type}</code>
      </dd>
    </div>
    <div>
      <dt>Version</dt>
      <dd>
        {props.rule.version} · revision {props.rule.revision}
      </dd>
    </div>
    <div>
      <dt>Source</dt>
      <dd>{props.rule.pack ? `${props.rule.pack} pack` : "Custom"}</dd>
    </div>
  </dl>
);

const Actions: Component<{ rule: GovRule }> = (props) => (
  <>
    <span class="gov-toggle-label">
      <RuleToggle rule={props.rule} />
      {props.rule.enabled ? "Enabled" : "Disabled"}
    </span>
    <a class="button secondary" href={`/governance/rules/${encodeURIComponent(props.rule.id)}/edit`}>
      Edit rule
    </a>
    <DeleteRule rule={props.rule} then="/governance/rules" large />
  </>
);

/** The rule's counts and its evaluations in the chosen range, newest first. */
const RuleEvaluations: Component<{ ruleId: string }> = (props) => {
  const range = useRange();
  const [search] = useSearchParams();
  // Computed once per range choice, so the list's query key stays put while the page is open.
  const from = createMemo(() => rangeStart(range()));
  const filter = createMemo(() => ({
    rule_id: props.ruleId,
    outcome: isOutcome(search.outcome) ? search.outcome : undefined,
    from: from(),
  }));
  const empty = () =>
    `No ${filter().outcome ? `${filter().outcome} ` : ""}evaluations of this rule in this range.`;
  return (
    <section class="card gov-section" aria-labelledby="evaluations-title">
      <div class="gov-section-head">
        <h2 id="evaluations-title">Evaluations</h2>
        <RangePicker />
      </div>
      <SectionBoundary what="the evaluations">
        <Suspense fallback={<Skeleton height="2.5rem" />}>
          <RuleCounts ruleId={props.ruleId} />
        </Suspense>
        <Suspense fallback={<Skeleton height="12rem" />}>
          <EvaluationTable filter={filter()} empty={empty()} />
        </Suspense>
      </SectionBoundary>
    </section>
  );
};

const StateBadge: Component<{ enabled: boolean }> = (props) => (
  <span class={`badge ${props.enabled ? "" : "muted-badge"}`}>{props.enabled ? "Enabled" : "Disabled"}</span>
);

/** A deleted rule's evaluations are kept, so links to it still lead somewhere useful. */
const DeletedRule: Component<{ id: string }> = (props) => (
  <div class="gov-page">
    <GovernanceHeader
      crumbs={<a href="/governance/rules">Rules</a>}
      title="Deleted rule"
      lead="This rule no longer exists. The evaluations it made are kept for the record."
    />
    <RuleEvaluations ruleId={props.id} />
  </div>
);

// A 404 means deleted (another tenant's rule looks the same, and shows nothing but an empty list).
const ruleOrNull = (id: string) =>
  getRule(id).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  });

/** One rule: what it checks, how it has been doing, its evaluations and its revisions. */
export const RuleDetail: Component<{ id: string; editable: boolean }> = (props) => {
  const rule = createAsync(() => ruleOrNull(props.id));
  return (
    <Show when={rule() !== undefined}>
      <Show when={rule()} fallback={<DeletedRule id={props.id} />}>
        {(r) => (
          <div class="gov-page">
            <GovernanceHeader
              crumbs={<a href="/governance/rules">Rules</a>}
              title={r().name}
              lead={r().description || "No description."}
              actions={
                <Show when={props.editable} fallback={<StateBadge enabled={r().enabled} />}>
                  <Actions rule={r()} />
                </Show>
              }
            />
            <Meta rule={r()} />
            <RuleEvaluations ruleId={r().id} />
            <div class="gov-columns even">
              <section class="card gov-section" aria-labelledby="definition-title">
                <h2 id="definition-title">Definition</h2>
                <pre class="gov-source">{r().source}</pre>
              </section>
              <section class="card gov-section" aria-labelledby="history-title">
                <h2 id="history-title">Revision history</h2>
                <SectionBoundary what="the revisions">
                  <Suspense fallback={<Skeleton height="6rem" />}>
                    <RevisionHistory ruleId={r().id} current={r().revision} editable={props.editable} />
                  </Suspense>
                </SectionBoundary>
              </section>
            </div>
          </div>
        )}
      </Show>
    </Show>
  );
};
