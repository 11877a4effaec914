import { createAsync } from "@solidjs/router";
import { type Component, ErrorBoundary, onCleanup, onMount, Show, Suspense } from "solid-js";
import { type AuditEvent, getAuditEvent } from "../../api/audit";
import { FormAlert } from "../form-alert";
import { Skeleton } from "../governance/shared";
import { EventDetail } from "./event-detail";

type Props = {
  id: string;
  /** The row from the list, shown at once; the event is fetched when it is not in the list. */
  row: AuditEvent | undefined;
  onClose: () => void;
  onStep?: (by: 1 | -1) => void;
};

/**
 * A side panel beside the list (not modal: the list stays usable, and ↑/↓ in the panel step through
 * it). Escape closes it and focus returns to where it was.
 */
export const EventDrawer: Component<Props> = (props) => {
  // An event opened from a link (a toast, a shared URL) may not be in the list: fetch it.
  const fetched = createAsync(() => (props.row ? Promise.resolve(props.row) : getAuditEvent(props.id)));
  const event = () => props.row ?? fetched();
  let heading: HTMLHeadingElement | undefined;
  onMount(() => heading?.focus());
  // Escape closes the panel wherever focus is (a button that disabled itself leaves it on <body>),
  // unless something inside it (a menu, a field) has already used the key.
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    e.preventDefault();
    props.onClose();
  };
  document.addEventListener("keydown", onKey);
  onCleanup(() => document.removeEventListener("keydown", onKey));
  return (
    <aside
      class="audit-drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="audit-drawer-title"
      data-testid="audit-drawer"
      onKeyDown={(e) => {
        if ((e.key === "ArrowDown" || e.key === "ArrowUp") && e.altKey && props.onStep) {
          e.preventDefault();
          props.onStep(e.key === "ArrowDown" ? 1 : -1);
        }
      }}
    >
      <header class="audit-drawer-head">
        <div>
          <p class="eyebrow">
            Audit event
            <ErrorBoundary fallback={null}>
              <Suspense>
                <Show when={event()}>{(e) => <> · #{e().seq}</>}</Show>
              </Suspense>
            </ErrorBoundary>
          </p>
          <h2 id="audit-drawer-title" tabIndex={-1} ref={heading}>
            <ErrorBoundary fallback={<code>Audit event</code>}>
              <Suspense fallback={<code>Audit event</code>}>
                <code>{event()?.event_type ?? "Audit event"}</code>
              </Suspense>
            </ErrorBoundary>
          </h2>
        </div>
        <div class="audit-drawer-nav">
          <Show when={props.onStep}>
            {(step) => (
              <>
                <button
                  type="button"
                  class="button small ghost"
                  title="Newer event (Alt+↑)"
                  aria-label="Newer event"
                  onClick={() => step()(-1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="button small ghost"
                  title="Older event (Alt+↓)"
                  aria-label="Older event"
                  onClick={() => step()(1)}
                >
                  ↓
                </button>
              </>
            )}
          </Show>
          <button
            type="button"
            class="button small ghost audit-drawer-close"
            aria-label="Close event details"
            onClick={() => props.onClose()}
          >
            ×
          </button>
        </div>
      </header>
      <div class="audit-drawer-body">
        <ErrorBoundary fallback={(err) => <FormAlert error={err} />}>
          <Suspense fallback={<Skeleton height="16rem" />}>
            <Show when={event()}>{(e) => <EventDetail e={e()} />}</Show>
          </Suspense>
        </ErrorBoundary>
      </div>
    </aside>
  );
};
