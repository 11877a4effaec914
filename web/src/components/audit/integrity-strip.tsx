import { createAsync, revalidate } from "@solidjs/router";
import { type Component, createSignal, ErrorBoundary, onCleanup, Show, Suspense } from "solid-js";
import { type Checkpoint, getCheckpoint, getPublicKey } from "../../api/audit-proofs";
import { ApiError } from "../../api/client";
import { hashBytes, toHex } from "./verify";

const REFRESH_MS = 20_000;
/** While the list shows events the checkpoint does not cover yet, look again soon. */
const CATCH_UP_MS = 3000;

export function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 5) return "just now";
  if (s < 90) return `${s} seconds ago`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} minute${m === 1 ? "" : "s"} ago`;
  const h = Math.round(m / 60);
  return h < 36 ? `${h} hours ago` : `${Math.round(h / 24)} days ago`;
}

const Unavailable: Component<{ error: unknown }> = (props) => (
  <span class="audit-strip-state">
    <span class="audit-strip-dot" aria-hidden="true" />
    {props.error instanceof ApiError && props.error.status === 404
      ? "No signed checkpoint yet: one is made within seconds of the first event."
      : `Integrity status unavailable${props.error instanceof ApiError ? `: ${props.error.message}` : ""}`}
  </span>
);

type Read = { cp: Checkpoint; error?: undefined } | { cp?: undefined; error: unknown };

const Status: Component<{ head: number }> = (props) => {
  // Failures are values here, so the periodic refresh recovers once the first checkpoint exists.
  const read = createAsync(
    (): Promise<Read> =>
      getCheckpoint().then(
        (cp) => ({ cp }),
        (error: unknown) => ({ error }),
      ),
  );
  const key = createAsync(() => getPublicKey().catch(() => undefined));
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 1000);
  let last = 0;
  const refresh = setInterval(() => {
    const cp = read()?.cp;
    const behind = props.head > 0 && (!cp || cp.size < props.head);
    const wait = behind ? CATCH_UP_MS : REFRESH_MS;
    if (document.visibilityState !== "visible" || Date.now() - last < wait) return;
    last = Date.now();
    void revalidate(getCheckpoint.key);
  }, 1000);
  onCleanup(() => {
    clearInterval(tick);
    clearInterval(refresh);
  });
  return (
    <Show
      when={read()?.cp}
      fallback={
        <Show when={read()?.error !== undefined}>
          <Unavailable error={read()?.error} />
        </Show>
      }
    >
      {(cp) => (
        <>
          <span class="audit-strip-state ok">
            <span class="audit-strip-dot" aria-hidden="true" />
            Signed checkpoint
          </span>
          <span>
            covers <strong data-testid="checkpoint-size">{cp().size.toLocaleString()}</strong> event
            {cp().size === 1 ? "" : "s"}
            <Show when={cp().size < props.head}>
              <span class="audit-strip-behind"> · the newest are being signed</span>
            </Show>
          </span>
          <span title={cp().root_hash}>
            root <code>{toHex(hashBytes(cp().root_hash)).slice(0, 12)}…</code>
          </span>
          <span title={cp().signed_at}>signed {ago(cp().signed_at, now())}</span>
          <Show when={key()}>
            {(k) => (
              <span title={k().vkey}>
                key <code>{k().key_id}</code>
              </span>
            )}
          </Show>
        </>
      )}
    </Show>
  );
};

/** The log's latest signed checkpoint, what every "Verify" checks against. */
export const IntegrityStrip: Component<{ head: number }> = (props) => (
  <section class="audit-strip" aria-label="Log integrity" data-testid="integrity-strip">
    <ErrorBoundary fallback={(err) => <Unavailable error={err} />}>
      <Suspense fallback={<span class="muted">Reading the latest checkpoint…</span>}>
        <Status head={props.head} />
      </Suspense>
    </ErrorBoundary>
  </section>
);
