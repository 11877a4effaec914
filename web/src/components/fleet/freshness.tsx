import { type Component, Show } from "solid-js";
import type { Freshness } from "../../api/fleet";
import { ms } from "../analytics/format";

const STALE_MS = 5 * 60_000;

function ago(iso: string | null, now: number): string {
  if (!iso) return "never";
  const d = Math.max(0, now - Date.parse(iso));
  if (d < 60_000) return "just now";
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min ago`;
  if (d < 86_400_000) return `${Math.round(d / 3_600_000)} h ago`;
  return `${Math.round(d / 86_400_000)} d ago`;
}

const lagText = (lag: number) => (lag <= 0 ? "caught up" : `${ms(lag)} behind`);

/** How current the numbers are: when the rollups were last folded and how far behind they are. */
export const FreshnessBadge: Component<{ freshness: Freshness }> = (props) => (
  <p
    class="freshness"
    classList={{ stale: props.freshness.state !== "fresh" }}
    data-testid="freshness"
    data-state={props.freshness.state}
    title="The dashboards read rollups folded from incoming traces every minute. Over 5 minutes behind counts as stale."
  >
    <span class="freshness-dot" aria-hidden="true" />
    <Show
      when={props.freshness.state !== "never"}
      fallback={<span>Not folded yet: numbers appear after the first fold (within a minute).</span>}
    >
      <span>
        {props.freshness.state === "stale" ? "Stale · " : ""}Updated{" "}
        {ago(props.freshness.last_folded_at, Date.now())} · {lagText(props.freshness.lag_ms)}
      </span>
    </Show>
  </p>
);

/** A half-dial of the fold's lag against the 5-minute staleness line. */
export const FreshnessGauge: Component<{ freshness: Freshness }> = (props) => {
  // The dial spans 0–10 minutes, so the stale line sits straight up.
  const share = () => Math.min(1, Math.max(0, props.freshness.lag_ms / (2 * STALE_MS)));
  const angle = () => Math.PI * (1 - share());
  const tip = () => ({ x: 60 + 44 * Math.cos(angle()), y: 60 - 44 * Math.sin(angle()) });
  const stale = () => props.freshness.state !== "fresh";
  return (
    <section class="card chart-card gauge-card" aria-labelledby="gauge-title" data-testid="freshness-gauge">
      <header class="chart-head">
        <div>
          <h2 id="gauge-title">Freshness</h2>
          <p class="muted">How far the numbers lag behind incoming traces. Over 5 minutes is stale.</p>
        </div>
      </header>
      <svg
        viewBox="0 0 120 70"
        class="gauge"
        role="img"
        aria-label={`Lag ${lagText(props.freshness.lag_ms)}`}
      >
        <path d="M16 60 A44 44 0 0 1 60 16" class="gauge-ok" />
        <path d="M60 16 A44 44 0 0 1 104 60" class="gauge-stale" />
        <line x1="60" y1="60" x2={tip().x} y2={tip().y} class="gauge-needle" classList={{ stale: stale() }} />
        <circle cx="60" cy="60" r="4" class="gauge-hub" />
      </svg>
      <dl class="gauge-facts">
        <div>
          <dt>Lag</dt>
          <dd classList={{ "text-bad": stale() }}>{lagText(props.freshness.lag_ms)}</dd>
        </div>
        <div>
          <dt>Last folded</dt>
          <dd>{ago(props.freshness.last_folded_at, Date.now())}</dd>
        </div>
        <div>
          <dt>Newest trace</dt>
          <dd>{ago(props.freshness.newest_source_at, Date.now())}</dd>
        </div>
      </dl>
    </section>
  );
};
