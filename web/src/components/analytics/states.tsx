import { type Component, For } from "solid-js";
import { FormAlert } from "../form-alert";

export const AnalyticsSkeleton: Component = () => (
  <div class="analytics-body" aria-busy="true">
    <p class="visually-hidden" role="status">
      Loading analytics…
    </p>
    <div class="kpis">
      <For each={[1, 2, 3, 4, 5]}>
        {() => (
          <div class="kpi surface">
            <span class="skeleton line short" />
            <span class="skeleton line tall" />
          </div>
        )}
      </For>
    </div>
    <div class="card chart-card">
      <span class="skeleton line" />
      <span class="skeleton block" />
    </div>
    <div class="chart-grid">
      <div class="card chart-card">
        <span class="skeleton line" />
        <span class="skeleton block small" />
      </div>
      <div class="card chart-card">
        <span class="skeleton line" />
        <span class="skeleton block small" />
      </div>
    </div>
  </div>
);

type EmptyProps = { rangeLabel: string; agent: string | undefined; onClearAgent: () => void };

export const AnalyticsEmpty: Component<EmptyProps> = (props) => (
  <section class="card empty-state" data-testid="analytics-empty">
    <svg viewBox="0 0 48 48" class="empty-icon" aria-hidden="true">
      <path d="M6 40h36M12 34V22M20 34V14M28 34V26M36 34V10" />
    </svg>
    {props.agent ? (
      <>
        <h2>
          No traces from “{props.agent}” in the last {props.rangeLabel}
        </h2>
        <p class="muted">Try a longer range, or look at every agent.</p>
        <button type="button" class="button secondary" onClick={() => props.onClearAgent()}>
          Show all agents
        </button>
      </>
    ) : (
      <>
        <h2>No traces in the last {props.rangeLabel}</h2>
        <p class="muted">
          Charts fill in as soon as your agents send traces. Create an API key with the <code>ingest</code>{" "}
          scope, then send a batch to <code>POST /api/v1/traces/ingest</code> or point an OpenTelemetry
          exporter at <code>/v1/traces</code>.
        </p>
        <div class="empty-actions">
          <a class="button primary" href="/">
            Open the setup guide
          </a>
          <a class="button secondary" href="/settings/api-keys">
            Manage API keys
          </a>
        </div>
      </>
    )}
  </section>
);

export const AnalyticsError: Component<{ error: unknown; onRetry: () => void }> = (props) => (
  <section class="card load-error">
    <h2>Couldn’t load analytics</h2>
    <FormAlert error={props.error} />
    <button type="button" class="button secondary" onClick={() => props.onRetry()}>
      Try again
    </button>
  </section>
);
