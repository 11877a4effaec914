import { createAsync } from "@solidjs/router";
import { type Component, ErrorBoundary, For, Show, Suspense } from "solid-js";
import { type Evaluation, listSpanEvaluations, type Outcome } from "../../api/traces";
import { FormAlert } from "../form-alert";
import { TraceScope } from "../governance/shared";
import { OutcomeBadge } from "./badges";

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

const measuredText = (e: Evaluation) => {
  if (e.measured === null) return "—";
  return e.limit === null
    ? number.format(e.measured)
    : `${number.format(e.measured)} / ${number.format(e.limit)}`;
};

const rank: Record<Evaluation["outcome"], number> = { red: 0, amber: 1, error: 2, pass: 3 };

type Props = { spanId: string; outcome: Outcome | null };

/** Passes are counted, not stored one by one, so an empty list means "passed" or "not run yet". */
const NoFindings: Component<{ outcome: Outcome | null }> = (props) => (
  <p class="muted small-print">
    {props.outcome === null
      ? "Not evaluated yet: rules run moments after a span is ingested."
      : "Every rule that applies to this span passed."}
  </p>
);

const List: Component<Props> = (props) => {
  // Red first, then amber, then rules that failed to run.
  const evaluations = createAsync(async () =>
    [...(await listSpanEvaluations(props.spanId))].sort((a, b) => rank[a.outcome] - rank[b.outcome]),
  );
  return (
    <Show when={evaluations()}>
      {(list) => (
        <Show when={list().length > 0} fallback={<NoFindings outcome={props.outcome} />}>
          <ul class="list-column evaluations" data-testid="span-evaluations">
            <For each={list()}>
              {(e) => (
                <li>
                  <div class="evaluation-head">
                    <span class="rule-name">{e.rule_name}</span>
                    <TraceScope scope={e.scope} />
                    <OutcomeBadge outcome={e.outcome} />
                  </div>
                  <div class="evaluation-meta muted">
                    <span>{e.policy_group}</span>
                    <span>{e.severity}</span>
                    <span title="Measured value / limit">measured {measuredText(e)}</span>
                  </div>
                  <Show when={e.scope === "trace"}>
                    <p class="muted small-print">
                      About the whole trace: it reached {e.outcome} with this span.
                    </p>
                  </Show>
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

/** The governor's findings on one span: rule, outcome and the measured value against its limit. */
export const SpanEvaluations: Component<Props> = (props) => (
  <section class="panel-section">
    <h4>Rule findings</h4>
    <ErrorBoundary fallback={(error) => <FormAlert error={error} />}>
      <Suspense fallback={<span class="skeleton skeleton-block" />}>
        <List spanId={props.spanId} outcome={props.outcome} />
      </Suspense>
    </ErrorBoundary>
  </section>
);
