import { createAsync } from "@solidjs/router";
import { type Accessor, type Component, createContext, type JSX, Show, useContext } from "solid-js";
import { getSession, type Session } from "../api/session";

const SignedInContext = createContext<Accessor<Session>>();

/** Provides the signed-in session to nested route pages, below a layout that has checked it. */
export const SignedIn = SignedInContext.Provider;

/** The session of the layout above (RequireSession, or a page's own check). */
export function useSignedIn(): Accessor<Session> {
  const session = useContext(SignedInContext);
  if (!session) throw new Error("useSignedIn() is only available below a signed-in layout");
  return session;
}

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
        {(me) => <SignedIn value={me}>{props.children(me())}</SignedIn>}
      </Show>
    </Show>
  );
};
