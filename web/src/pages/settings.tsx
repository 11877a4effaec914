import type { RouteSectionProps } from "@solidjs/router";
import { type Component, ErrorBoundary, For, type JSX, Show, Suspense } from "solid-js";
import type { Session } from "../api/session";
import { isAdmin } from "../api/users";
import { FormAlert } from "../components/form-alert";
import { RequireSession, useSignedIn } from "../components/require-session";
import { AlertChannelsSection } from "../components/settings/alert-channels-section";
import { AlertRulesSection } from "../components/settings/alert-rules-section";
import { ApiKeysSection } from "../components/settings/api-keys-section";
import { ApprovalsSection } from "../components/settings/approvals-section";
import { AuditSettingsSection } from "../components/settings/audit-settings-section";
import { InvitationsForbidden, InvitationsSection } from "../components/settings/invitations-section";
import { MembersSection } from "../components/settings/members-section";
import { SiemSection } from "../components/settings/siem-section";

const sections = [
  { id: "members", label: "Members", adminOnly: false },
  { id: "invitations", label: "Invitations", adminOnly: true },
  { id: "api-keys", label: "API keys", adminOnly: false },
  { id: "audit", label: "Audit log", adminOnly: true },
  { id: "siem", label: "SIEM", adminOnly: true },
  { id: "alert-channels", label: "Alert channels", adminOnly: true },
  { id: "approvals", label: "Approvals", adminOnly: true },
] as const;

const AdminsOnly: Component = () => (
  <section class="card">
    <h2>Owners and admins only</h2>
    <p class="empty">
      Audit settings, SIEM streaming, alert channels and approvals are managed by owners and admins.
    </p>
  </section>
);

/** `/settings` alone opens the first section. */
const sectionOf = (pathname: string) =>
  pathname.replace(/^\/settings\/?/, "").replace(/\/+$/, "") || "members";

const Settings: Component<{ session: Session; section: string; children?: JSX.Element }> = (props) => {
  const admin = () => isAdmin(props.session.user.role);
  const visible = () => sections.filter((s) => admin() || !s.adminOnly);
  return (
    <div class="settings">
      <header class="page-head">
        <p class="eyebrow">Settings</p>
        <h1>{props.session.tenant.name}</h1>
        <p class="muted">
          Signed in as {props.session.user.email}{" "}
          <span class="badge role" data-testid="my-role">
            {props.session.user.role}
          </span>
        </p>
      </header>
      <div>
        <nav class="settings-nav" aria-label="Settings sections">
          <For each={visible()}>
            {(s) => (
              <a href={`/settings/${s.id}`} aria-current={props.section === s.id ? "page" : undefined}>
                {s.label}
              </a>
            )}
          </For>
        </nav>
        <div>{props.children}</div>
      </div>
    </div>
  );
};

/** `/settings/*`: the header and section links around the section the route picked. */
export const SettingsLayout: Component<RouteSectionProps> = (props) => (
  <RequireSession what="settings">
    {(session) => (
      <Settings session={session} section={sectionOf(props.location.pathname)}>
        {props.children}
      </Settings>
    )}
  </RequireSession>
);

/** A section for owners and admins; everyone else is told who manages it. */
const AdminSection: Component<{ children: JSX.Element; fallback?: JSX.Element }> = (props) => {
  const me = useSignedIn();
  return (
    <Show when={isAdmin(me().user.role)} fallback={props.fallback ?? <AdminsOnly />}>
      {props.children}
    </Show>
  );
};

export const MembersSettings: Component = () => {
  const me = useSignedIn();
  return <MembersSection me={{ id: me().user.id, role: me().user.role }} />;
};

export const InvitationsSettings: Component = () => (
  <AdminSection fallback={<InvitationsForbidden />}>
    <InvitationsSection />
  </AdminSection>
);

export const ApiKeysSettings: Component = () => {
  const me = useSignedIn();
  return <ApiKeysSection role={me().user.role} />;
};

export const AuditSettings: Component = () => (
  <AdminSection>
    <AuditSettingsSection />
  </AdminSection>
);

export const SiemSettings: Component = () => (
  <AdminSection>
    <SiemSection />
  </AdminSection>
);

export const AlertChannelsSettings: Component = () => (
  <AdminSection>
    <AlertChannelsSection />
    <ErrorBoundary fallback={(error) => <FormAlert error={error} />}>
      <Suspense>
        <AlertRulesSection />
      </Suspense>
    </ErrorBoundary>
  </AdminSection>
);

export const ApprovalsSettings: Component = () => {
  const me = useSignedIn();
  return (
    <AdminSection>
      <ApprovalsSection myId={me().user.id} />
    </AdminSection>
  );
};

export const NoSuchSettings: Component = () => (
  <section class="card">
    <h2>No such settings page</h2>
    <p class="muted">
      Pick a section on the left, or go to <a href="/settings/members">Members</a>.
    </p>
  </section>
);
