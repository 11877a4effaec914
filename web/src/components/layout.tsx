import { createAsync, type RouteSectionProps } from "@solidjs/router";
import { type Component, ErrorBoundary, Show, Suspense } from "solid-js";
import { getSession, logOut } from "../api/session";
import { HighRiskToasts } from "./audit/high-risk-toasts";
import { AnomalyToasts } from "./fleet/anomaly-toasts";
import { FormAlert } from "./form-alert";
import { AlertToasts } from "./governance/alert-toasts";

const Logo: Component = () => (
  <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
    <rect width="32" height="32" rx="8" />
    <path d="M9 21.5 14.5 10h3L23 21.5M11.5 17h9" />
  </svg>
);

const AccountMenu: Component = () => {
  const session = createAsync(() => getSession());
  return (
    <Show when={session()}>
      {(me) => (
        <form action={logOut} method="post" class="logout">
          <span class="muted user-email">{me().user.email}</span>
          <button type="submit" class="button small secondary">
            Log out
          </button>
        </form>
      )}
    </Show>
  );
};

const TopBar: Component = () => (
  <header class="topbar">
    <a href="/" class="brand">
      <Logo />
      <span>AuditTrail</span>
    </a>
    <nav>
      <a href="/traces">Traces</a>
      <a href="/governance">Governance</a>
      <a href="/audit">Audit</a>
      <a href="/analytics">Analytics</a>
      <a href="/settings">Settings</a>
      <a href="/api/docs" target="_blank" rel="noopener">
        API reference
      </a>
      {/* A failed session read is reported by the page itself; the bar just leaves the menu out. */}
      <ErrorBoundary fallback={null}>
        <Suspense>
          <AccountMenu />
        </Suspense>
      </ErrorBoundary>
    </nav>
  </header>
);

const Failure: Component<{ error: unknown; reset: () => void }> = (props) => (
  <div class="card failure">
    <h1>Something went wrong</h1>
    <FormAlert error={props.error} />
    <button type="button" class="button secondary" onClick={() => props.reset()}>
      Try again
    </button>
  </div>
);

export const Layout: Component<RouteSectionProps> = (props) => (
  <div class="app">
    <TopBar />
    <main>
      <ErrorBoundary fallback={(error, reset) => <Failure error={error} reset={reset} />}>
        <Suspense fallback={<p class="loading">Loading…</p>}>{props.children}</Suspense>
      </ErrorBoundary>
    </main>
    {/* One stack, so governance alerts and high-risk audit events never cover each other. */}
    <div class="toast-stack">
      <AlertToasts />
      <AnomalyToasts />
      <HighRiskToasts />
    </div>
  </div>
);
