import { type Component, For, type JSX, Show } from "solid-js";
import type { PayloadField, TreeSpan } from "../../api/traces";
import { OutcomeBadge, SpanTypeIcon, StatusBadge, spanTypeLabels } from "./badges";
import { formatCost, formatDateTime, formatDuration, formatTokens } from "./format";
import { SpanEvaluations } from "./span-evaluations";
import { ValueBlock } from "./value-block";

const Fact: Component<{ label: string; children: JSX.Element }> = (props) => (
  <div class="fact">
    <dt>{props.label}</dt>
    <dd>{props.children}</dd>
  </div>
);

type Field = { label: string; field: PayloadField; value: (s: TreeSpan) => unknown; testId?: string };

const fields: readonly Field[] = [
  { label: "Input", field: "input", value: (s) => s.input, testId: "span-input" },
  { label: "Output", field: "output", value: (s) => s.output, testId: "span-output" },
  { label: "Tool arguments", field: "tool.arguments", value: (s) => s.tool?.arguments },
  { label: "Tool result", field: "tool.result", value: (s) => s.tool?.result },
  { label: "Attributes", field: "attributes", value: (s) => s.attributes },
];

const present = (v: unknown) =>
  v !== null && v !== undefined && !(typeof v === "object" && Object.keys(v as object).length === 0);

const SpanDetails: Component<{ span: TreeSpan }> = (props) => (
  <div class="span-details" data-testid="span-panel">
    <header class="span-title">
      <SpanTypeIcon type={props.span.type} />
      <div>
        <h3>{props.span.name}</h3>
        <p class="muted">
          {spanTypeLabels[props.span.type]} · <code>{props.span.id}</code>
        </p>
      </div>
    </header>
    <div class="span-badges">
      <StatusBadge status={props.span.status} running={props.span.ended_at === null} />
      <OutcomeBadge outcome={props.span.worst_outcome} />
    </div>
    <Show when={props.span.error}>
      {(error) => (
        <div class="alert span-error" role="note">
          <strong>{error().type ?? "Error"}</strong>
          <Show when={error().message}>
            <p>{error().message}</p>
          </Show>
        </div>
      )}
    </Show>
    <dl class="facts">
      <Fact label="Started">{formatDateTime(props.span.started_at)}</Fact>
      <Fact label="Duration">{formatDuration(props.span.duration_ms)}</Fact>
      <Show when={props.span.model}>
        <Fact label="Model">
          {props.span.model}
          <Show when={props.span.provider}> · {props.span.provider}</Show>
        </Fact>
      </Show>
      <Show when={props.span.tool}>{(tool) => <Fact label="Tool">{tool().name}</Fact>}</Show>
      <Fact label="Tokens in / out">
        {formatTokens(props.span.usage.input_tokens)} / {formatTokens(props.span.usage.output_tokens)}
      </Fact>
      <Fact label="Cost">{formatCost(props.span.usage.cost_usd)}</Fact>
    </dl>
    <For each={fields.filter((f) => present(f.value(props.span)))}>
      {(f) => (
        <ValueBlock
          label={f.label}
          value={f.value(props.span)}
          spanId={props.span.id}
          field={f.field}
          truncated={props.span.truncated_fields.includes(f.field)}
          testId={f.testId}
        />
      )}
    </For>
    <Show when={!fields.some((f) => present(f.value(props.span)))}>
      <p class="muted small-print">This span carries no input, output or attributes.</p>
    </Show>
    <SpanEvaluations spanId={props.span.id} outcome={props.span.worst_outcome} />
  </div>
);

/** The selected span in full, or a hint on how to select one. */
export const SpanPanel: Component<{ span: TreeSpan | undefined }> = (props) => (
  <aside class="span-panel card" aria-label="Selected span">
    <Show
      when={props.span}
      fallback={
        <div class="span-panel-empty">
          <h3>No span selected</h3>
          <p class="muted">
            Select a span in the graph or the timeline (or move there with the arrow keys) to see its input,
            output, usage and rule findings.
          </p>
        </div>
      }
    >
      {(span) => <SpanDetails span={span()} />}
    </Show>
  </aside>
);
