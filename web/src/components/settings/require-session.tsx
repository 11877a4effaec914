import { createAsync } from "@solidjs/router";
import { type Component, type JSX, Show } from "solid-js";
import { getSession, type Session } from "../../api/session";

type Props = { what: string; children: (session: Session) => JSX.Element };

/** Renders the children for a signed-in user, and a way back to the sign-in page otherwise. */
export const RequireSession: Component<Props> = (props) => {
  const session = createAsync(() => getSession());
  return (
    <Show when={session() !== undefined}>
      <Show
        when={session()}
        fallback={
          <div class="card narrow-card">
            <h1>Sign in to see {props.what}</h1>
            <p class="muted">Your session has ended or you haven’t signed in yet.</p>
            <a class="button primary" href="/">
              Sign in
            </a>
          </div>
        }
      >
        {(me) => props.children(me())}
      </Show>
    </Show>
  );
};
