import type { Component } from "solid-js";

const Illustration: Component = () => (
  <svg class="empty-illustration" viewBox="0 0 64 64" aria-hidden="true">
    <rect x="6" y="12" width="52" height="40" rx="8" />
    <path d="M16 26h14M16 34h22M16 42h10" />
    <circle cx="46" cy="26" r="4" />
  </svg>
);

/** No trace at all yet: say how to send one, and that it will show up here by itself. */
export const NoTracesYet: Component = () => (
  <div class="empty-state" data-testid="traces-empty">
    <Illustration />
    <h2>No traces yet</h2>
    <p class="muted">
      Create an API key and send a trace with curl, or point an OpenTelemetry exporter at this server. The
      home page has copy-ready snippets with your key filled in.
    </p>
    <p class="muted">This page is live: your first trace appears here as soon as it arrives.</p>
    <div class="empty-actions">
      <a class="button primary" href="/#send-title">
        Get the ingest snippets
      </a>
      <a class="button secondary" href="/api/docs" target="_blank" rel="noopener">
        API reference
      </a>
    </div>
  </div>
);

export const NoMatchingTraces: Component<{ onClear: () => void }> = (props) => (
  <div class="empty-state" data-testid="traces-no-match">
    <Illustration />
    <h2>No traces match these filters</h2>
    <p class="muted">Widen the time range or remove a filter. New traces that match appear here live.</p>
    <div class="empty-actions">
      <button type="button" class="button secondary" onClick={() => props.onClear()}>
        Clear filters
      </button>
    </div>
  </div>
);
