import { createAsync, useAction, useSubmission } from "@solidjs/router";
import { type Component, createSignal, For, Show, Suspense } from "solid-js";
import {
  type AlertChannel,
  channelKinds,
  deleteAlertChannel,
  listAlertDeliveries,
  setAlertChannelEnabled,
  severities,
  testAlertChannel,
} from "../../api/alert-channels";
import { FormAlert } from "../form-alert";
import { Time } from "../time";

function health(c: AlertChannel): { key: string; text: string } {
  if (!c.enabled) return { key: "paused", text: "Paused" };
  if (c.last_error) return { key: "failing", text: "Last delivery failed" };
  if (!c.last_success_at) return { key: "idle", text: "Nothing sent yet" };
  return { key: "healthy", text: "Delivering" };
}

const Deliveries: Component<{ id: string }> = (props) => {
  const list = createAsync(() => listAlertDeliveries(props.id));
  return (
    <Show when={list()}>
      {(page) => (
        <Show when={page().data.length > 0} fallback={<p class="empty">No deliveries yet.</p>}>
          <table class="alert-deliveries">
            <thead>
              <tr>
                <th>When</th>
                <th>Notice</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Last error</th>
              </tr>
            </thead>
            <tbody>
              <For each={page().data}>
                {(d) => (
                  <tr data-testid="alert-delivery">
                    <td>
                      <Time value={d.created_at} />
                    </td>
                    <td>{d.action}</td>
                    <td>{d.status}</td>
                    <td>{d.attempts}</td>
                    <td>{d.last_error ?? "—"}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      )}
    </Show>
  );
};

/** One channel: where it sends, what it is sent, how the last attempt went, and a test button. */
export const AlertChannelRow: Component<{ channel: AlertChannel }> = (props) => {
  const mine = ([id]: [string, ...unknown[]]) => id === props.channel.id;
  const toggling = useSubmission(setAlertChannelEnabled, mine);
  const testing = useSubmission(testAlertChannel, mine);
  const deleting = useSubmission(deleteAlertChannel, mine);
  const test = useAction(testAlertChannel);
  const remove = useAction(deleteAlertChannel);
  const [open, setOpen] = createSignal(false);
  const h = () => health(props.channel);
  return (
    <li class={`siem-endpoint siem-${h().key}`} data-testid="alert-channel">
      <div class="siem-head">
        <div class="siem-title">
          <strong>{props.channel.name}</strong>
          <span class="badge muted-badge">{channelKinds[props.channel.kind]}</span>
          <span class={`siem-health siem-health-${h().key}`}>{h().text}</span>
        </div>
        <form action={setAlertChannelEnabled.with(props.channel.id, !props.channel.enabled)} method="post">
          <button
            type="submit"
            class="audit-switch"
            role="switch"
            aria-checked={props.channel.enabled}
            aria-label={`Send alerts to ${props.channel.name}`}
            disabled={toggling.pending}
          >
            <span class="audit-switch-track" aria-hidden="true" />
            {props.channel.enabled ? "Enabled" : "Disabled"}
          </button>
        </form>
      </div>
      <code class="siem-url">{props.channel.target_hint}</code>
      <dl class="siem-stats">
        <div>
          <dt>Sends</dt>
          <dd>{severities[props.channel.min_severity]}</dd>
        </div>
        <div>
          <dt>Last status</dt>
          <dd>{props.channel.last_status === null ? "—" : `HTTP ${props.channel.last_status}`}</dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd>
            <Show when={props.channel.last_success_at} fallback="—">
              {(at) => <Time value={at()} />}
            </Show>
          </dd>
        </div>
      </dl>
      <Show when={props.channel.last_error}>
        {(error) => (
          <div class="alert siem-error" role="note">
            <p>
              <strong>Last error:</strong> {error()}
            </p>
          </div>
        )}
      </Show>
      <div class="siem-actions">
        <button
          type="button"
          class="button small secondary"
          disabled={testing.pending}
          onClick={() => void test(props.channel.id).catch(() => {})}
        >
          {testing.pending ? "Sending…" : "Send test"}
        </button>
        <button
          type="button"
          class="button small ghost"
          onClick={() => setOpen(!open())}
          aria-expanded={open()}
        >
          {open() ? "Hide deliveries" : "Deliveries"}
        </button>
        <button
          type="button"
          class="button small danger-outline"
          disabled={deleting.pending}
          onClick={() => void remove(props.channel.id).catch(() => {})}
        >
          Delete
        </button>
      </div>
      <Show when={testing.result}>
        {(r) => (
          <p class={`siem-test ${r().ok ? "ok" : "bad"}`} role="status">
            {r().ok ? "✓ Test delivered" : "✗ Test failed"}
            <Show when={r().error} fallback={r().status !== null ? ` · HTTP ${r().status}` : ""}>
              {(e) => <> · {e()}</>}
            </Show>
          </p>
        )}
      </Show>
      <Show when={open()}>
        <Suspense fallback={<p class="muted">Loading…</p>}>
          <Deliveries id={props.channel.id} />
        </Suspense>
      </Show>
      <FormAlert error={toggling.error ?? testing.error ?? deleting.error} />
    </li>
  );
};
