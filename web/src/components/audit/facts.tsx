import type { Component, JSX } from "solid-js";

/** One term and its value in a detail list. */
export const Fact: Component<{ label: string; children: JSX.Element }> = (props) => (
  <div class="audit-fact">
    <dt>{props.label}</dt>
    <dd>{props.children}</dd>
  </div>
);
