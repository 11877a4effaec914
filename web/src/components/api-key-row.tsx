import { useSubmission } from "@solidjs/router";
import { type Component, createSignal, For, Show } from "solid-js";
import { type ApiKey, revokeApiKey } from "../api/api-keys";
import { FormAlert } from "./form-alert";
import { Time } from "./time";

export const ApiKeyRow: Component<{ apiKey: ApiKey }> = (props) => {
  const [confirming, setConfirming] = createSignal(false);
  const revoking = useSubmission(revokeApiKey, ([id]) => id === props.apiKey.id);
  return (
    <tr classList={{ revoked: props.apiKey.revoked_at !== null }}>
      <td class="key-name">{props.apiKey.name}</td>
      <td>
        <code class="prefix">{props.apiKey.prefix}…</code>
      </td>
      <td>
        <For each={props.apiKey.scopes}>{(scope) => <span class="badge">{scope}</span>}</For>
      </td>
      <td>
        <Time value={props.apiKey.created_at} />
      </td>
      <td>
        <Show when={props.apiKey.last_used_at} fallback={<span class="muted">Never</span>}>
          {(at) => <Time value={at()} />}
        </Show>
      </td>
      <td class="actions">
        <Show
          when={props.apiKey.revoked_at === null}
          fallback={<span class="badge muted-badge">Revoked</span>}
        >
          <Show
            when={confirming()}
            fallback={
              <button type="button" class="button small danger-outline" onClick={() => setConfirming(true)}>
                Revoke
              </button>
            }
          >
            <form action={revokeApiKey.with(props.apiKey.id)} method="post" class="inline-confirm">
              <button type="submit" class="button small danger" disabled={revoking.pending}>
                {revoking.pending ? "Revoking…" : "Confirm revoke"}
              </button>
              <button type="button" class="button small ghost" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </form>
          </Show>
          <FormAlert error={revoking.error} />
        </Show>
      </td>
    </tr>
  );
};
