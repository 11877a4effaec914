import { useSubmission } from "@solidjs/router";
import type { Component } from "solid-js";
import { signUp } from "../api/session";
import { FormAlert } from "./form-alert";
import { TextField } from "./text-field";

const fields = ["tenant_name", "email", "password"] as const;

export const SignUpForm: Component = () => {
  const submission = useSubmission(signUp);
  return (
    <form action={signUp} method="post" class="card form" aria-labelledby="sign-up-title">
      <h2 id="sign-up-title">Create your workspace</h2>
      <p class="muted">Free to start. You become the workspace owner.</p>
      <FormAlert error={submission.error} fields={fields} />
      <TextField
        name="tenant_name"
        label="Workspace name"
        placeholder="Acme AI"
        autocomplete="organization"
        required
        error={submission.error}
      />
      <TextField
        name="email"
        label="Work email"
        type="email"
        autocomplete="email"
        required
        error={submission.error}
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autocomplete="new-password"
        hint="At least 10 characters."
        required
        error={submission.error}
      />
      <button type="submit" class="button primary" disabled={submission.pending}>
        {submission.pending ? "Creating workspace…" : "Create workspace"}
      </button>
    </form>
  );
};
