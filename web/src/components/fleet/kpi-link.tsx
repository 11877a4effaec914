import { type Component, Show } from "solid-js";

type Props = {
  label: string;
  value: string;
  /** What the number counts, in a sentence. */
  hint: string;
  href: string;
  note?: string;
  tone?: "bad" | "good";
  testid?: string;
};

/** A KPI tile that opens what it counts (the filtered trace list, or another tab). */
export const KpiLink: Component<Props> = (props) => (
  <a class="kpi surface kpi-link" href={props.href} data-testid={props.testid}>
    <span class="kpi-label">{props.label}</span>
    <span class="kpi-value" classList={{ bad: props.tone === "bad" }}>
      {props.value}
    </span>
    <Show when={props.note}>
      <span class="kpi-note" classList={{ "text-bad": props.tone === "bad" }}>
        {props.note}
      </span>
    </Show>
    <span class="kpi-hint">{props.hint}</span>
  </a>
);
