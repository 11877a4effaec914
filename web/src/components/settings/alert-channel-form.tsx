import { useSubmission } from "@solidjs/router";
import { type Component, createEffect, createSignal, createUniqueId, For, on, Show } from "solid-js";
import {
  type ChannelKind,
  channelKinds,
  createAlertChannel,
  type Severity,
  severities,
} from "../../api/alert-channels";
import { FormAlert } from "../form-alert";
import { TextField } from "../text-field";

const fields = ["name", "url", "routing_key", "min_severity", "kind"] as const;

const urlHints: Record<ChannelKind, string> = {
  slack: "The https://hooks.slack.com/services/… URL of an incoming webhook. Stored encrypted.",
  google_chat: "The space's webhook URL (Apps & integrations → Webhooks). Stored encrypted.",
  pagerduty: "Optional: the Events API endpoint, if not https://events.pagerduty.com/v2/enqueue.",
  webhook: "HTTPS, reachable from the internet. Requests are signed with HMAC-SHA256.",
};

export const AlertChannelForm: Component = () => {
  const submission = useSubmission(createAlertChannel);
  const [kind, setKind] = createSignal<ChannelKind>("slack");
  const kindId = createUniqueId();
  const severityId = createUniqueId();
  let form: HTMLFormElement | undefined;
  let severity: HTMLSelectElement | undefined;
  createEffect(
    on(
      () => submission.result,
      (created) => {
        if (!created) return;
        form?.reset();
        setKind("slack");
        // reset() picks the first option: `selected` is set as a property, not the default.
        if (severity) severity.value = "warning";
      },
    ),
  );
  return (
    <form
      ref={form}
      action={createAlertChannel}
      method="post"
      class="key-form siem-form"
      aria-label="Add alert channel"
    >
      <FormAlert error={submission.error} fields={fields} />
      <div class="siem-form-grid">
        <div class="field">
          <label for={kindId}>Kind</label>
          <select id={kindId} name="kind" onChange={(e) => setKind(e.currentTarget.value as ChannelKind)}>
            <For each={Object.entries(channelKinds) as [ChannelKind, string][]}>
              {([id, text]) => <option value={id}>{text}</option>}
            </For>
          </select>
        </div>
        <TextField name="name" label="Name" placeholder="#ops-alerts" required error={submission.error} />
        <Show when={kind() === "pagerduty"}>
          <TextField
            name="routing_key"
            label="Integration key"
            hint="From the service's Events API V2 integration. Stored encrypted."
            required
            error={submission.error}
          />
        </Show>
        <TextField
          name="url"
          label="URL"
          hint={urlHints[kind()]}
          required={kind() !== "pagerduty"}
          error={submission.error}
        />
        <div class="field">
          <label for={severityId}>Send</label>
          <select id={severityId} name="min_severity" ref={severity}>
            <For each={Object.entries(severities) as [Severity, string][]}>
              {([id, text]) => (
                <option value={id} selected={id === "warning"}>
                  {text}
                </option>
              )}
            </For>
          </select>
        </div>
      </div>
      <button type="submit" class="button primary" disabled={submission.pending}>
        {submission.pending ? "Adding…" : "Add channel"}
      </button>
    </form>
  );
};
