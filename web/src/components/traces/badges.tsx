import { type Component, For, Show } from "solid-js";
import type { Evaluation, Outcome, SpanStatusName, SpanTypeName } from "../../api/traces";

// Icon strokes on a 24×24 grid, drawn with currentColor so a node or row colours them.
const iconPaths: Record<SpanTypeName, readonly string[]> = {
  llm: ["M12 3l1.9 5.1L19 10l-5.1 1.9L12 17l-1.9-5.1L5 10l5.1-1.9z", "M19 3v4M21 5h-4"],
  tool: [
    "M14.7 6.3a1 1 0 0 0 0 1.4l1.6 1.6a1 1 0 0 0 1.4 0l3.8-3.8a6 6 0 0 1-7.9 7.9l-6.9 6.9a2.1 2.1 0 0 1-3-3l6.9-6.9a6 6 0 0 1 7.9-7.9z",
  ],
  chain: [
    "M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.8 1.7",
    "M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7",
  ],
  agent: [
    "M12 8V4H8",
    "M6 8h12a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2z",
    "M9 13v2M15 13v2",
  ],
  retriever: ["M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z", "M21 21l-4.3-4.3"],
  embedding: ["M12 2 2 7l10 5 10-5z", "M2 17l10 5 10-5", "M2 12l10 5 10-5"],
  guardrail: ["M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"],
  other: ["M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8z"],
};

export const spanTypeLabels: Record<SpanTypeName, string> = {
  llm: "LLM call",
  tool: "Tool call",
  chain: "Chain",
  agent: "Agent",
  retriever: "Retriever",
  embedding: "Embedding",
  guardrail: "Guardrail",
  other: "Step",
};

/** The icon's strokes only, for use inside an existing <svg> (the DAG draws nodes in one). */
export const SpanTypeGlyph: Component<{ type: SpanTypeName }> = (props) => (
  <For each={iconPaths[props.type]}>{(d) => <path d={d} />}</For>
);

export const SpanTypeIcon: Component<{ type: SpanTypeName }> = (props) => (
  <svg class={`type-icon kind-${props.type}`} viewBox="0 0 24 24" aria-hidden="true">
    <SpanTypeGlyph type={props.type} />
  </svg>
);

const statusText: Record<SpanStatusName, string> = { ok: "OK", error: "Error", unset: "Completed" };

/**
 * `unset` (no status reported, as OpenTelemetry allows) reads as running while there is no end,
 * and as completed after it: neither claims a success the agent did not report.
 */
export const StatusBadge: Component<{ status: SpanStatusName; running?: boolean }> = (props) => {
  const running = () => props.running && props.status === "unset";
  return (
    <span
      class={`pill status-${running() ? "running" : props.status}`}
      title={props.status === "unset" && !running() ? "Ended without reporting a status" : undefined}
    >
      <span class="dot" aria-hidden="true" />
      {running() ? "Running" : statusText[props.status]}
    </span>
  );
};

const outcomeText: Record<Evaluation["outcome"], string> = {
  pass: "Pass",
  amber: "Amber",
  red: "Red",
  error: "Rule error",
};

export const OutcomeBadge: Component<{ outcome: Outcome | Evaluation["outcome"] | null }> = (props) => (
  <Show
    when={props.outcome}
    fallback={
      <span class="pill outcome-none" title="Not evaluated yet">
        —
      </span>
    }
  >
    {(outcome) => (
      <span class={`pill outcome-${outcome()}`} title={`Worst rule outcome: ${outcomeText[outcome()]}`}>
        <span class="dot" aria-hidden="true" />
        {outcomeText[outcome()]}
      </span>
    )}
  </Show>
);
