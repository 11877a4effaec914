import { useSubmission } from "@solidjs/router";
import type { Component } from "solid-js";
import { logIn } from "../api/session";
import { FormAlert } from "./form-alert";
import { TextField } from "./text-field";

const fields = ["email", "password"] as const;

export const LogInForm: Component = () => {
  const submission = useSubmission(logIn);
  return (
    <form action={logIn} method="post" class="card form" aria-labelledby="log-in-title">
      <h2 id="log-in-title">Log in</h2>
      <p class="muted">Welcome back.</p>
      <FormAlert error={submission.error} fields={fields} />
      <TextField
        name="email"
        label="Email"
        type="email"
        autocomplete="username"
        required
        error={submission.error}
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autocomplete="current-password"
        required
        error={submission.error}
      />
      <button type="submit" class="button primary" disabled={submission.pending}>
        {submission.pending ? "Logging in…" : "Log in"}
      </button>
    </form>
  );
};
