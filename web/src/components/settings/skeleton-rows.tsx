import { type Component, For } from "solid-js";

/** Placeholder lines while a table loads. */
export const SkeletonRows: Component<{ rows: number }> = (props) => (
  <div class="skeleton-rows" aria-busy="true">
    <p class="visually-hidden" role="status">
      Loading…
    </p>
    <For each={Array.from({ length: props.rows })}>{() => <span class="skeleton line" />}</For>
  </div>
);
