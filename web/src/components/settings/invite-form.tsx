import { useSubmission } from "@solidjs/router";
import { type Component, createEffect, createSignal, createUniqueId, For, on } from "solid-js";
import { invitableRoles, invite, isRole, type Role, roleDescriptions } from "../../api/users";
import { FormAlert } from "../form-alert";
import { TextField } from "../text-field";

export const InviteForm: Component = () => {
  const submission = useSubmission(invite);
  const roleId = createUniqueId();
  const [role, setRole] = createSignal<Role>("member");
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
          <select
            id={roleId}
            name="role"
            aria-describedby={`${roleId}-hint`}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isRole(value)) setRole(value);
            }}
          >
            <For each={invitableRoles}>
              {(r) => (
                <option value={r} selected={r === "member"}>
                  {r}
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
        <strong class="role-name">{role()}</strong>: {roleDescriptions[role()]}. No email is sent: you get a
        single-use link to pass on, valid for 7 days.
      </p>
    </form>
  );
};
