import { createAsync, revalidate } from "@solidjs/router";
import {
  type Component,
  createMemo,
  createSignal,
  ErrorBoundary,
  For,
  onCleanup,
  Show,
  Suspense,
} from "solid-js";
import type { LiveConstitutionalAlert } from "../../../../worker/live/protocol";
import { governorKeys } from "../../api/governor";
import { getSession } from "../../api/session";
import { useLiveFeed } from "../../live/use-live-feed";
import { dismissTimer } from "../dismiss-timer";
import { TraceScope, traceHref } from "./shared";
import { type AlertToast, foldAlert } from "./toast-fold";

const DISMISS_MS = 8000;
const MAX_SHOWN = 3;
const REFRESH_MS = 2000;

const ToastCard: Component<{ toast: AlertToast; onClose: () => void }> = (props) => {
  const hold = dismissTimer(DISMISS_MS, () => props.onClose());
  return (
    // Hovering or focusing a toast holds it, so a reader is never cut off mid-sentence.
    <article
      class={`gov-toast gov-toast-${props.toast.outcome}`}
      aria-label={`${props.toast.outcome} alert: ${props.toast.rule_name}`}
      data-testid="alert-toast"
      {...hold}
    >
      <div class="gov-toast-head">
        <span class="gov-toast-outcome">{props.toast.outcome === "red" ? "Red" : "Amber"}</span>
        <strong class="gov-toast-rule">{props.toast.rule_name}</strong>
        <Show when={props.toast.alerts > 1}>
          <span class="gov-toast-count" title="Alerts for this rule on this trace">
            ×{props.toast.alerts}
          </span>
        </Show>
        <button
          type="button"
          class="gov-toast-close"
          aria-label="Dismiss alert"
          onClick={() => props.onClose()}
        >
          ×
        </button>
      </div>
      <p class="gov-toast-span">
        <TraceScope scope={props.toast.scope} />
        <code>{props.toast.span_name}</code> · {props.toast.agent}
      </p>
      <p class="gov-toast-explanation">{props.toast.explanation}</p>
      <a class="gov-toast-link" href={traceHref(props.toast.trace_id, props.toast.span_id)}>
        View trace →
      </a>
    </article>
  );
};

const Toasts: Component = () => {
  const session = createAsync(() => getSession());
  const [stack, setStack] = createSignal<{ toasts: AlertToast[]; overflow: number }>({
    toasts: [],
    overflow: 0,
  });
  const toasts = () => stack().toasts;
  const overflow = () => stack().overflow;
  let next = 0;
  let refresh: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(refresh));

  const onAlert = (alert: LiveConstitutionalAlert) => {
    // One toast per trace × rule, updated in place; older toasts give way during a burst.
    setStack((s) => foldAlert(s, alert, next++, MAX_SHOWN));
    // Pages showing counts catch up once the burst settles (at most every 2 s during a storm).
    refresh ??= setTimeout(() => {
      refresh = undefined;
      void revalidate(governorKeys);
    }, REFRESH_MS);
  };

  // Keyed on who is signed in, so a refreshed session object does not reconnect the feed.
  const who = createMemo(() => session()?.user.id);
  const feed = useLiveFeed(() => (who() ? "/ws/live" : undefined), {
    onMessages: (messages) => {
      for (const m of messages) if (m.event === "constitutional.alert") onAlert(m.payload);
    },
  });

  const dismiss = (key: number) => {
    const rest = toasts().filter((t) => t.key !== key);
    setStack({ toasts: rest, overflow: rest.length === 0 ? 0 : overflow() });
  };

  return (
    <section
      class="gov-toasts"
      aria-live="polite"
      aria-label="Governance alerts"
      data-live={feed()?.status ?? "closed"}
    >
      <Show when={overflow() > 0}>
        <div class="gov-toast-more">
          {overflow()} more {overflow() === 1 ? "alert" : "alerts"} ·{" "}
          <a href="/governance" onClick={() => setStack({ toasts: toasts(), overflow: 0 })}>
            See all on Governance
          </a>
        </div>
      </Show>
      <For each={toasts()}>{(t) => <ToastCard toast={t} onClose={() => dismiss(t.key)} />}</For>
    </section>
  );
};

/** Governor alerts from the live feed, as toasts on every page, while someone is signed in. */
export const AlertToasts: Component = () => (
  // The page reports a failed session read itself; the toasts just stay away.
  <ErrorBoundary fallback={null}>
    <Suspense>
      <Toasts />
    </Suspense>
  </ErrorBoundary>
);
