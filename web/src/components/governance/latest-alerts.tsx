import { createAsync } from "@solidjs/router";
import { type Component, For, Show } from "solid-js";
import { type GovEvaluation, latestAlerts, type RangeKey } from "../../api/governor";
import { OutcomeBadge, SeverityBadge, ShortTime, TraceScope, traceHref } from "./shared";

export const AlertItem: Component<{ evaluation: GovEvaluation }> = (props) => (
  <li class={`gov-alert gov-alert-${props.evaluation.outcome}`}>
    <div class="gov-alert-head">
      <OutcomeBadge outcome={props.evaluation.outcome} />
      <a class="gov-alert-rule" href={`/governance/rules/${encodeURIComponent(props.evaluation.rule_id)}`}>
        {props.evaluation.rule_name}
      </a>
      <span class="gov-alert-time muted">
        <ShortTime value={props.evaluation.evaluated_at} />
      </span>
    </div>
    <p class="gov-alert-explanation" title={props.evaluation.explanation}>
      {props.evaluation.explanation}
    </p>
    <div class="gov-alert-foot muted">
      <span class="gov-alert-where">
        <TraceScope scope={props.evaluation.scope} />
        <code>{props.evaluation.span_name}</code> · {props.evaluation.agent} ·{" "}
        <SeverityBadge severity={props.evaluation.severity} />
      </span>
      <a href={traceHref(props.evaluation.trace_id, props.evaluation.span_id)}>View trace →</a>
    </div>
  </li>
);

/** The newest amber and red evaluations of the range. */
export const LatestAlerts: Component<{ range: RangeKey }> = (props) => {
  const alerts = createAsync(() => latestAlerts(props.range, 6));
  return (
    <Show when={alerts()}>
      {(list) => (
        <Show
          when={list().length > 0}
          fallback={<p class="empty">No amber or red evaluations in this range. Every span passed.</p>}
        >
          <ul class="list-column gov-alerts" data-testid="latest-alerts">
            <For each={list()}>{(e) => <AlertItem evaluation={e} />}</For>
          </ul>
        </Show>
      )}
    </Show>
  );
};
