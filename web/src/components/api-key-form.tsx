import { useSubmission } from "@solidjs/router";
import { type Component, createEffect, For, on, Show } from "solid-js";
import { createApiKey, type Scope, scopeDescriptions } from "../api/api-keys";
import { ApiError } from "../api/client";
import type { Role } from "../api/users";
import { FormAlert } from "./form-alert";
import { TextField } from "./text-field";

const allScopes = Object.keys(scopeDescriptions) as Scope[];
const fields = ["name", "scopes"] as const;

/** Viewers are read-only: the server refuses them keys that send traces or audit events. */
const scopesFor = (role: Role): Scope[] => (role === "viewer" ? ["read"] : allScopes);

export const ApiKeyForm: Component<{ role: Role }> = (props) => {
  const scopes = () => scopesFor(props.role);
  const checkedFirst = () => (props.role === "viewer" ? "read" : "ingest");
  const submission = useSubmission(createApiKey);
  const scopesError = () =>
    submission.error instanceof ApiError ? submission.error.fieldMessage("scopes") : undefined;
  let form: HTMLFormElement | undefined;
  // Clear the name for the next key but keep the chosen scopes.
  createEffect(
    on(
      () => submission.result,
      (created) => {
        const name = form?.elements.namedItem("name");
        if (created && name instanceof HTMLInputElement) name.value = "";
      },
    ),
  );

  return (
    <form ref={form} action={createApiKey} method="post" class="key-form" aria-label="Create API key">
      <FormAlert error={submission.error} fields={fields} />
      <div class="key-form-grid">
        <TextField
          name="name"
          label="Key name"
          placeholder="production agents"
          hint="Where the key is used, so you recognise it later."
          required
          error={submission.error}
        />
        <fieldset class="field" classList={{ invalid: scopesError() !== undefined }}>
          <legend>Scopes</legend>
          <For each={scopes()}>
            {(scope) => (
              <label class="check">
                <input type="checkbox" name="scopes" value={scope} checked={scope === checkedFirst()} />
                <span>
                  <strong>{scope}</strong> <span class="muted">{scopeDescriptions[scope]}</span>
                </span>
              </label>
            )}
          </For>
          <Show when={props.role === "viewer"}>
            <p class="muted">
              As a viewer you can read; sending traces or audit events needs a member's key.
            </p>
          </Show>
          <Show when={scopesError()}>{(message) => <p class="field-error">{message()}</p>}</Show>
        </fieldset>
      </div>
      <button type="submit" class="button primary" disabled={submission.pending}>
        {submission.pending ? "Creating…" : "Create API key"}
      </button>
    </form>
  );
};
