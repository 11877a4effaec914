import { useSearchParams, useSubmission } from "@solidjs/router";
import { type Component, Show } from "solid-js";
import { acceptInvitation } from "../api/session";
import { FormAlert } from "../components/form-alert";
import { TextField } from "../components/text-field";

export const AcceptInvitationPage: Component = () => {
  const [params] = useSearchParams<{ token: string }>();
  const submission = useSubmission(acceptInvitation);
  return (
    <div class="narrow">
      <Show
        when={params.token}
        fallback={
          <div class="card">
            <h1>Invitation link incomplete</h1>
            <p class="muted">This link has no invitation token. Ask your admin to send the link again.</p>
          </div>
        }
      >
        {(token) => (
          <form
            action={acceptInvitation.with(token())}
            method="post"
            class="card form"
            aria-labelledby="accept-title"
          >
            <h1 id="accept-title">Join your team on AuditTrail</h1>
            <p class="muted">Choose a password to finish creating your account.</p>
            <FormAlert error={submission.error} fields={["password"]} />
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
              {submission.pending ? "Joining…" : "Set password and sign in"}
            </button>
          </form>
        )}
      </Show>
    </div>
  );
};
