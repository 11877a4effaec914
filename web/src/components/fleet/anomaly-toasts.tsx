import { createAsync, revalidate } from "@solidjs/router";
import { type Component, createMemo, createSignal, ErrorBoundary, For, Suspense } from "solid-js";
import type { AlertEvent } from "../../../../worker/alerts/schemas";
import { fleetKeys } from "../../api/fleet";
import { getSession } from "../../api/session";
import { useLiveFeed } from "../../live/use-live-feed";
import { dismissTimer } from "../dismiss-timer";

const DISMISS_MS = 10_000;
const MAX_SHOWN = 3;

const severityText = { info: "Info", warning: "Warning", critical: "Critical" } as const;
// Toast tones shared with the governance toasts: critical reads red, the rest amber.
const tone = (e: AlertEvent) => (e.severity === "critical" ? "red" : "amber");

const ToastCard: Component<{ event: AlertEvent; onClose: () => void }> = (props) => {
  const hold = dismissTimer(DISMISS_MS, () => props.onClose());
  return (
    <article
      class={`gov-toast gov-toast-${tone(props.event)}`}
      aria-label={`${severityText[props.event.severity]} alert: ${props.event.capability ?? "analytics"}`}
      data-testid="alert-fired-toast"
      {...hold}
    >
      <div class="gov-toast-head">
        <span class="gov-toast-outcome">{severityText[props.event.severity]}</span>
        <strong class="gov-toast-rule">{props.event.capability ?? "Analytics freshness"}</strong>
        <button
          type="button"
          class="gov-toast-close"
          aria-label="Dismiss alert"
          onClick={() => props.onClose()}
        >
          ×
        </button>
      </div>
      <p class="gov-toast-explanation">{props.event.summary}</p>
      <a class="gov-toast-link" href={props.event.link}>
        Open in Analytics →
      </a>
    </article>
  );
};

const Toasts: Component = () => {
  const session = createAsync(() => getSession());
  const [events, setEvents] = createSignal<AlertEvent[]>([]);
  // One toast per incident: a re-fired (escalated) incident replaces its earlier toast.
  const onFired = (e: AlertEvent) => {
    setEvents((list) => [...list.filter((x) => x.id !== e.id), e].slice(-MAX_SHOWN));
    void revalidate(fleetKeys);
  };
  const onResolved = (e: AlertEvent) => setEvents((list) => list.filter((x) => x.id !== e.id));
  const who = createMemo(() => session()?.user.id);
  useLiveFeed(() => (who() ? "/ws/live" : undefined), {
    onMessages: (messages) => {
      for (const m of messages) {
        // Informational incidents (a new capability) wait in the alerts list; toasts are for
        // warning and critical ones, which someone should look at now.
        if (m.event === "alert.fired" && m.payload.severity !== "info") onFired(m.payload);
        else if (m.event === "alert.resolved") onResolved(m.payload);
      }
    },
  });
  return (
    <section class="gov-toasts" aria-live="polite" aria-label="Analytics alerts">
      <For each={events()}>{(e) => <ToastCard event={e} onClose={() => onResolved(e)} />}</For>
    </section>
  );
};

/** Analytics alerts (`alert.fired`) from the live feed, as toasts on every page while signed in. */
export const AnomalyToasts: Component = () => (
  <ErrorBoundary fallback={null}>
    <Suspense>
      <Toasts />
    </Suspense>
  </ErrorBoundary>
);
