import { useParams } from "@solidjs/router";
import { type Component, For, Match, Switch } from "solid-js";
import type { Session } from "../api/session";
import { isAdmin } from "../api/users";
import { ApiKeysSection } from "../components/settings/api-keys-section";
import { ApprovalsSection } from "../components/settings/approvals-section";
import { AuditSettingsSection } from "../components/settings/audit-settings-section";
import { InvitationsForbidden, InvitationsSection } from "../components/settings/invitations-section";
import { MembersSection } from "../components/settings/members-section";
import { RequireSession } from "../components/settings/require-session";
import { SiemSection } from "../components/settings/siem-section";

const sections = [
  { id: "members", label: "Members", adminOnly: false },
  { id: "invitations", label: "Invitations", adminOnly: true },
  { id: "api-keys", label: "API keys", adminOnly: false },
  { id: "audit", label: "Audit log", adminOnly: true },
  { id: "siem", label: "SIEM", adminOnly: true },
  { id: "approvals", label: "Approvals", adminOnly: true },
] as const;
type SectionId = (typeof sections)[number]["id"];

const AdminsOnly: Component = () => (
  <section class="card">
    <h2>Owners and admins only</h2>
    <p class="empty">Audit settings, SIEM streaming and approvals are managed by owners and admins.</p>
  </section>
);

const Settings: Component<{ session: Session; section: string }> = (props) => {
  const me = () => ({ id: props.session.user.id, role: props.session.user.role });
  const admin = () => isAdmin(props.session.user.role);
  const visible = () => sections.filter((s) => admin() || !s.adminOnly);
  const current = (): SectionId | undefined => sections.find((s) => s.id === props.section)?.id;
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
              <a href={`/settings/${s.id}`} aria-current={current() === s.id ? "page" : undefined}>
                {s.label}
              </a>
            )}
          </For>
        </nav>
        <div>
          <Switch
            fallback={
              <section class="card">
                <h2>No such settings page</h2>
                <p class="muted">
                  Pick a section on the left, or go to <a href="/settings/members">Members</a>.
                </p>
              </section>
            }
          >
            <Match when={current() === "members"}>
              <MembersSection me={me()} />
            </Match>
            <Match when={current() === "invitations"}>
              {admin() ? <InvitationsSection /> : <InvitationsForbidden />}
            </Match>
            <Match when={current() === "api-keys"}>
              <ApiKeysSection role={props.session.user.role} />
            </Match>
            <Match when={current() === "audit"}>{admin() ? <AuditSettingsSection /> : <AdminsOnly />}</Match>
            <Match when={current() === "siem"}>{admin() ? <SiemSection /> : <AdminsOnly />}</Match>
            <Match when={current() === "approvals"}>
              {admin() ? <ApprovalsSection myId={props.session.user.id} /> : <AdminsOnly />}
            </Match>
          </Switch>
        </div>
      </div>
    </div>
  );
};

export const SettingsPage: Component = () => {
  const params = useParams<{ rest: string }>();
  // /settings alone opens the first section.
  const section = () => (params.rest ? params.rest.replace(/\/+$/, "") : "members");
  return (
    <RequireSession what="settings">
      {(session) => <Settings session={session} section={section()} />}
    </RequireSession>
  );
};
