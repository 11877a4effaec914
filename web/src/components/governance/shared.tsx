import { type Component, For, Show } from "solid-js";
import type { Counts, OutcomeName } from "../../api/governor";

export const OUTCOMES = ["pass", "amber", "red", "error"] as const satisfies readonly OutcomeName[];

export const outcomeLabel = {
  pass: "Pass",
  amber: "Amber",
  red: "Red",
  error: "Error",
} satisfies Record<OutcomeName, string>;

const integer = new Intl.NumberFormat();
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });

export const formatCount = (n: number) => integer.format(n);
export const formatNumber = (n: number | null) => (n === null ? "—" : decimal.format(n));
export const formatPercent = (n: number) => percent.format(n);
export const totalOf = (c: Counts) => c.pass + c.amber + c.red + c.error;

/** The outcome as a coloured pill; the word is always shown, so colour is never the only signal. */
export const OutcomeBadge: Component<{ outcome: string }> = (props) => (
  <span class={`gov-outcome gov-outcome-${props.outcome}`}>
    <span class="gov-dot" aria-hidden="true" />
    {outcomeLabel[props.outcome as OutcomeName] ?? props.outcome}
  </span>
);

export const SeverityBadge: Component<{ severity: string }> = (props) => (
  <span class={`tag gov-severity gov-severity-${props.severity}`}>{props.severity}</span>
);

/** A thin stacked bar of the four outcomes, with the numbers in its accessible label. */
export const CountBar: Component<{ counts: Counts; class?: string }> = (props) => {
  const total = () => totalOf(props.counts);
  const label = () =>
    total() === 0 ? "No evaluations" : OUTCOMES.map((o) => `${formatCount(props.counts[o])} ${o}`).join(", ");
  return (
    <div class={`gov-bar ${props.class ?? ""}`} role="img" aria-label={label()} title={label()}>
      <Show when={total() > 0}>
        <For each={OUTCOMES}>
          {(o) => (
            <Show when={props.counts[o] > 0}>
              <span class={`gov-bar-${o}`} style={{ "flex-grow": props.counts[o], "min-width": "3px" }} />
            </Show>
          )}
        </For>
      </Show>
    </div>
  );
};

/** A grey placeholder block shown while data loads. */
export const Skeleton: Component<{ height?: string; width?: string }> = (props) => (
  <span
    class="gov-skeleton"
    aria-hidden="true"
    style={{ height: props.height ?? "1rem", width: props.width ?? "100%" }}
  />
);

/** Link to a trace, focused on the span when the trace page supports it. */
export const traceHref = (traceId: string, spanId?: string) =>
  `/traces/${encodeURIComponent(traceId)}${spanId ? `?span=${encodeURIComponent(spanId)}` : ""}`;

const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const monthDay = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** Compact timestamp for dense lists: today "4:07 PM", this year "Nov 23, 4:07 PM", else the date. */
export const ShortTime: Component<{ value: string }> = (props) => {
  const text = () => {
    const at = new Date(props.value);
    const now = new Date();
    if (at.toDateString() === now.toDateString()) return timeOnly.format(at);
    if (at.getFullYear() === now.getFullYear()) return `${monthDay.format(at)}, ${timeOnly.format(at)}`;
    return fullDate.format(at);
  };
  return (
    <time datetime={props.value} title={new Date(props.value).toLocaleString()}>
      {text()}
    </time>
  );
};

/**
 * Marks a trace finding: the rule judges the whole trace, and the span named is the one at which
 * the trace reached the outcome. Nothing for a per-span finding.
 */
export const TraceScope: Component<{ scope: "span" | "trace" }> = (props) => (
  <Show when={props.scope === "trace"}>
    <span class="tag scope-trace" title="About the whole trace; the span shown is where it crossed">
      whole trace
    </span>
  </Show>
);
