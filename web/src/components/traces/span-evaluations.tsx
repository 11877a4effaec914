import { createAsync } from "@solidjs/router";
import { type Component, ErrorBoundary, For, Show, Suspense } from "solid-js";
import { type Evaluation, listSpanEvaluations } from "../../api/traces";
import { FormAlert } from "../form-alert";
import { OutcomeBadge } from "./badges";

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

const measuredText = (e: Evaluation) => {
  if (e.measured === null) return "—";
  return e.limit === null
    ? number.format(e.measured)
    : `${number.format(e.measured)} / ${number.format(e.limit)}`;
};

const rank: Record<Evaluation["outcome"], number> = { red: 0, amber: 1, error: 2, pass: 3 };

const List: Component<{ spanId: string }> = (props) => {
  // Findings first: a span is often checked by a dozen rules and passes most of them.
  const evaluations = createAsync(async () =>
    [...(await listSpanEvaluations(props.spanId))].sort((a, b) => rank[a.outcome] - rank[b.outcome]),
  );
  return (
    <Show when={evaluations()}>
      {(list) => (
        <Show
          when={list().length > 0}
          fallback={
            <p class="muted small-print">
              No rule has evaluated this span (yet). Rules run moments after ingest.
            </p>
          }
        >
          <ul class="evaluations" data-testid="span-evaluations">
            <For each={list()}>
              {(e) => (
                <li>
                  <div class="evaluation-head">
                    <span class="rule-name">{e.rule_name}</span>
                    <OutcomeBadge outcome={e.outcome} />
                  </div>
                  <div class="evaluation-meta muted">
                    <span>{e.policy_group}</span>
                    <span>{e.severity}</span>
                    <span title="Measured value / limit">measured {measuredText(e)}</span>
                  </div>
                  <Show when={e.explanation}>
                    <p class="evaluation-explanation">{e.explanation}</p>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      )}
    </Show>
  );
};

/** The governor's verdicts on one span: rule, outcome and the measured value against its limit. */
export const SpanEvaluations: Component<{ spanId: string }> = (props) => (
  <section class="panel-section">
    <h4>Rule evaluations</h4>
    <ErrorBoundary fallback={(error) => <FormAlert error={error} />}>
      <Suspense fallback={<span class="skeleton skeleton-block" />}>
        <List spanId={props.spanId} />
      </Suspense>
    </ErrorBoundary>
  </section>
);
