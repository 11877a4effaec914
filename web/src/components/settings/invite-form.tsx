import { useSubmission } from "@solidjs/router";
import { type Component, createEffect, createUniqueId, For, on } from "solid-js";
import { invitableRoles, invite, roleDescriptions } from "../../api/users";
import { FormAlert } from "../form-alert";
import { TextField } from "../text-field";

export const InviteForm: Component = () => {
  const submission = useSubmission(invite);
  const roleId = createUniqueId();
  let form: HTMLFormElement | undefined;
  // Clear the address for the next invitation but keep the role.
  createEffect(
    on(
      () => submission.result,
      (created) => {
        const email = form?.elements.namedItem("email");
        if (created && email instanceof HTMLInputElement) email.value = "";
      },
    ),
  );
  return (
    <form ref={form} action={invite} method="post" class="invite-form" aria-label="Invite someone">
      <FormAlert error={submission.error} fields={["email", "role"]} />
      <div class="invite-grid">
        <TextField
          name="email"
          label="Email"
          type="email"
          autocomplete="off"
          placeholder="grace@example.com"
          required
          error={submission.error}
        />
        <div class="field">
          <label for={roleId}>Role</label>
          <select id={roleId} name="role" class="select" aria-describedby={`${roleId}-hint`}>
            <For each={invitableRoles}>
              {(role) => (
                <option value={role} selected={role === "member"}>
                  {role} — {roleDescriptions[role]}
                </option>
              )}
            </For>
          </select>
        </div>
        <button type="submit" class="button primary" disabled={submission.pending}>
          {submission.pending ? "Creating link…" : "Create invitation"}
        </button>
      </div>
      <p id={`${roleId}-hint`} class="hint">
        No email is sent: you get a single-use link to pass on. It expires after 7 days.
      </p>
    </form>
  );
};
