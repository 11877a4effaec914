import { useAction, useSubmission } from "@solidjs/router";
import { type Component, createSignal, Show } from "solid-js";
import {
  deleteSiemEndpoint,
  rotateSiemSecret,
  type SiemEndpoint,
  setSiemEnabled,
  testSiemEndpoint,
} from "../../api/audit-siem";
import { FormAlert } from "../form-alert";
import { Time } from "../time";
import { SiemSecretNotice } from "./siem-secret-notice";

type Health = { key: "paused" | "failing" | "behind" | "healthy" | "idle"; text: string };

const BEHIND = 100;

function health(e: SiemEndpoint): Health {
  if (!e.enabled) return { key: "paused", text: "Paused" };
  if (e.attempts > 0)
    return { key: "failing", text: `Failing · ${e.attempts} attempt${e.attempts === 1 ? "" : "s"}` };
  if (e.lag > BEHIND) return { key: "behind", text: "Catching up" };
  if (!e.last_success_at) return { key: "idle", text: "No deliveries yet" };
  return { key: "healthy", text: "Delivering" };
}

const Confirm: Component<{ label: string; busy: boolean; onConfirm: () => void; danger?: boolean }> = (
  props,
) => {
  const [asking, setAsking] = createSignal(false);
  return (
    <Show
      when={asking()}
      fallback={
        <button
          type="button"
          class={`button small ${props.danger ? "danger-outline" : "secondary"}`}
          onClick={() => setAsking(true)}
        >
          {props.label}
        </button>
      }
    >
      <span class="inline-confirm">
        <button
          type="button"
          class={`button small ${props.danger ? "danger" : "primary"}`}
          disabled={props.busy}
          onClick={() => props.onConfirm()}
        >
          Confirm {props.label.toLowerCase()}
        </button>
        <button type="button" class="button small ghost" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </span>
    </Show>
  );
};

/** One endpoint: where it sends, how far behind it is, what went wrong last, and what to do. */
export const SiemEndpointRow: Component<{ endpoint: SiemEndpoint }> = (props) => {
  const mine = ([id]: [string, ...unknown[]]) => id === props.endpoint.id;
  const toggling = useSubmission(setSiemEnabled, mine);
  const rotating = useSubmission(rotateSiemSecret, mine);
  const testing = useSubmission(testSiemEndpoint, mine);
  const deleting = useSubmission(deleteSiemEndpoint, mine);
  const test = useAction(testSiemEndpoint);
  const rotate = useAction(rotateSiemSecret);
  const remove = useAction(deleteSiemEndpoint);
  const h = () => health(props.endpoint);
  return (
    <li class={`siem-endpoint siem-${h().key}`} data-testid="siem-endpoint">
      <div class="siem-head">
        <div class="siem-title">
          <strong>{props.endpoint.name}</strong>
          <span class="badge muted-badge">{props.endpoint.format}</span>
          <span class={`siem-health siem-health-${h().key}`}>{h().text}</span>
        </div>
        <form action={setSiemEnabled.with(props.endpoint.id, !props.endpoint.enabled)} method="post">
          <button
            type="submit"
            class="audit-switch"
            role="switch"
            aria-checked={props.endpoint.enabled}
            aria-label={`Deliver to ${props.endpoint.name}`}
            disabled={toggling.pending}
          >
            <span class="audit-switch-track" aria-hidden="true" />
            {props.endpoint.enabled ? "Enabled" : "Disabled"}
          </button>
        </form>
      </div>
      <code class="siem-url">{props.endpoint.url}</code>
      <dl class="siem-stats">
        <div>
          <dt>Delivered</dt>
          <dd>{props.endpoint.delivered_count.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Lag</dt>
          <dd classList={{ "siem-lagging": props.endpoint.lag > BEHIND }}>
            {props.endpoint.lag.toLocaleString()} event{props.endpoint.lag === 1 ? "" : "s"}
          </dd>
        </div>
        <div>
          <dt>Cursor</dt>
          <dd>
            #{props.endpoint.cursor_seq} of #{props.endpoint.head_seq}
          </dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd>
            <Show when={props.endpoint.last_success_at} fallback="—">
              {(at) => <Time value={at()} />}
            </Show>
          </dd>
        </div>
      </dl>
      <Show when={props.endpoint.last_error}>
        {(error) => (
          <div class="alert siem-error" role="note">
            <p>
              <strong>
                Last error{props.endpoint.last_status ? ` (HTTP ${props.endpoint.last_status})` : ""}:
              </strong>{" "}
              {error()}
            </p>
            <Show when={props.endpoint.next_attempt_at}>
              {(at) => (
                <p>
                  Next retry <Time value={at()} />.
                  <Show when={props.endpoint.buffered_since}>
                    {(since) => (
                      <>
                        {" "}
                        Holding events since <Time value={since()} />; events owed for over 7 days are
                        skipped.
                      </>
                    )}
                  </Show>
                </p>
              )}
            </Show>
          </div>
        )}
      </Show>
      <div class="siem-actions">
        <button
          type="button"
          class="button small secondary"
          disabled={testing.pending}
          onClick={() => void test(props.endpoint.id).catch(() => {})}
        >
          {testing.pending ? "Sending…" : "Send test event"}
        </button>
        <Confirm
          label="Rotate secret"
          busy={rotating.pending ?? false}
          onConfirm={() => void rotate(props.endpoint.id).catch(() => {})}
        />
        <Confirm
          label="Delete"
          danger
          busy={deleting.pending ?? false}
          onConfirm={() => void remove(props.endpoint.id).catch(() => {})}
        />
      </div>
      <Show when={testing.result}>
        {(r) => (
          <p class={`siem-test ${r().ok ? "ok" : "bad"}`} role="status">
            {r().ok ? "✓ Test delivered" : "✗ Test failed"}
            {r().status !== null ? ` · HTTP ${r().status}` : ""} · {r().duration_ms} ms
            <Show when={r().error}>{(e) => <> · {e()}</>}</Show>
          </p>
        )}
      </Show>
      <Show when={rotating.result}>
        {(r) => (
          <SiemSecretNotice
            title={`New secret for ${props.endpoint.name}`}
            secret={r().secret}
            onDismiss={() => rotating.clear()}
          />
        )}
      </Show>
      <FormAlert error={toggling.error ?? rotating.error ?? testing.error ?? deleting.error} />
    </li>
  );
};
