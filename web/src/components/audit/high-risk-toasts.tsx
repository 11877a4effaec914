import { createAsync } from "@solidjs/router";
import { type Component, createMemo, createSignal, ErrorBoundary, For, Show, Suspense } from "solid-js";
import type { LiveAuditHighRisk } from "../../../../worker/live/protocol";
import { getSession } from "../../api/session";
import { isAdmin } from "../../api/users";
import { useLiveFeed } from "../../live/use-live-feed";
import { dismissTimer } from "../dismiss-timer";

const DISMISS_MS = 10_000;
const MAX_SHOWN = 3;

type Toast = LiveAuditHighRisk & { key: number };

const actorText = (a: LiveAuditHighRisk["actor"]) =>
  `${a.type === "ai_assistant" ? "Assistant · " : ""}${a.display ?? a.id}`;

const ToastCard: Component<{ toast: Toast; onClose: () => void }> = (props) => {
  const hold = dismissTimer(DISMISS_MS, () => props.onClose());
  const target = () => props.toast.target[0];
  return (
    <article
      class="gov-toast gov-toast-red audit-toast"
      aria-label={`High-risk audit event: ${props.toast.event_type}`}
      data-testid="audit-toast"
      {...hold}
    >
      <div class="gov-toast-head">
        <span class="gov-toast-outcome">{props.toast.risk.level} risk</span>
        <strong class="gov-toast-rule">
          <code>{props.toast.event_type}</code>
        </strong>
        <button type="button" class="gov-toast-close" aria-label="Dismiss" onClick={() => props.onClose()}>
          ×
        </button>
      </div>
      <p class="gov-toast-span">
        {actorText(props.toast.actor)}
        <Show when={target()}>{(t) => <> → {t().name ?? `${t().type} ${t().id}`}</>}</Show>
        <Show when={props.toast.outcome === "failure"}> · failed</Show>
      </p>
      <a class="gov-toast-link" href={`/audit?event=${encodeURIComponent(props.toast.event_id)}`}>
        Open in the audit log →
      </a>
    </article>
  );
};

const Toasts: Component = () => {
  const session = createAsync(() => getSession());
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  let next = 0;
  // Only owners and admins can open the audit log, so only they are told about its events.
  const who = createMemo(() => {
    const s = session();
    return s && isAdmin(s.user.role) ? s.user.id : undefined;
  });
  useLiveFeed(() => (who() ? "/ws/live" : undefined), {
    onMessages: (messages) => {
      const fresh = messages.flatMap((m) =>
        m.event === "audit.high_risk" ? [{ ...m.payload, key: next++ }] : [],
      );
      if (fresh.length) setToasts((all) => [...all, ...fresh].slice(-MAX_SHOWN));
    },
  });
  const dismiss = (key: number) => setToasts((all) => all.filter((t) => t.key !== key));
  return (
    <section class="gov-toasts audit-toasts" aria-live="polite" aria-label="High-risk audit events">
      <For each={toasts()}>{(t) => <ToastCard toast={t} onClose={() => dismiss(t.key)} />}</For>
    </section>
  );
};

/** High-risk audit events from the live feed, as toasts on every page, for owners and admins. */
export const HighRiskToasts: Component = () => (
  <ErrorBoundary fallback={null}>
    <Suspense>
      <Toasts />
    </Suspense>
  </ErrorBoundary>
);
