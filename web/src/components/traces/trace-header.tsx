import { type Component, type JSX, Show } from "solid-js";
import type { TraceDetail } from "../../api/traces";
import type { FeedState } from "../../live/feed";
import { CopyButton } from "../copy-button";
import { OutcomeBadge, StatusBadge } from "./badges";
import { formatCost, formatCount, formatDateTime, formatDuration, formatTokens, formatWhen } from "./format";
import { LiveIndicator } from "./live-indicator";

const Stat: Component<{ label: string; children: JSX.Element }> = (props) => (
  <div class="stat">
    <dt>{props.label}</dt>
    <dd>{props.children}</dd>
  </div>
);

/** Who ran it, how it went, and what it cost, above the three views. */
export const TraceHeader: Component<{ detail: TraceDetail; feed: FeedState | undefined }> = (props) => {
  const trace = () => props.detail.trace;
  const totals = () => props.detail.totals;
  const running = () => trace().ended_at === null;
  return (
    <header class="trace-header">
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <a href="/traces">Traces</a>
        <span aria-hidden="true">/</span>
        <span class="muted">{trace().agent}</span>
      </nav>
      <div class="trace-title-row">
        <div class="trace-title">
          <h1>{trace().name ?? "Untitled trace"}</h1>
          <div class="trace-id-row">
            <code title="Trace id">{trace().id}</code>
            <CopyButton text={trace().id} label="Copy id" />
          </div>
        </div>
        <div class="trace-title-badges">
          <StatusBadge status={trace().status} running={running()} />
          <Show when={running()}>
            <LiveIndicator state={props.feed} />
          </Show>
        </div>
      </div>
      <dl class="stats">
        <Stat label="Agent">{trace().agent}</Stat>
        <Stat label="Started">
          <time datetime={trace().started_at} title={formatDateTime(trace().started_at)}>
            {formatWhen(trace().started_at)}
          </time>
        </Stat>
        <Stat label="Duration">{running() ? "Running…" : formatDuration(trace().duration_ms)}</Stat>
        <Stat label="Spans">
          {formatCount(totals().spans)}
          <Show when={totals().errors > 0}>
            <span class="error-count">{formatCount(totals().errors)} failed</span>
          </Show>
        </Stat>
        <Stat label="Tokens in / out">
          {formatTokens(totals().input_tokens)} / {formatTokens(totals().output_tokens)}
        </Stat>
        <Stat label="Cost">{formatCost(totals().cost_usd)}</Stat>
        <Stat label="Rule outcome">
          <OutcomeBadge outcome={trace().worst_outcome} />
        </Stat>
      </dl>
    </header>
  );
};
