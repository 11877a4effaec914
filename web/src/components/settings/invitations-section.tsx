import { createAsync, useSubmission } from "@solidjs/router";
import { type Component, For, Show, Suspense } from "solid-js";
import { invite, listInvitations } from "../../api/users";
import { InvitationRow } from "./invitation-row";
import { InviteForm } from "./invite-form";
import { NewInvitationNotice } from "./new-invitation-notice";
import { SkeletonRows } from "./skeleton-rows";

const InvitationTable: Component = () => {
  const invitations = createAsync(() => listInvitations());
  return (
    <Show when={invitations()}>
      {(page) => (
        <Show
          when={page().data.length > 0}
          fallback={<p class="empty">No invitations yet. Invite a teammate above.</p>}
        >
          <div class="table-wrap">
            <table class="data-table invitations" aria-label="Invitations">
              <thead>
                <tr>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Status</th>
                  <th>Invited</th>
                  <th>Expires</th>
                  <th>
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={page().data}>{(invitation) => <InvitationRow invitation={invitation} />}</For>
              </tbody>
            </table>
          </div>
        </Show>
      )}
    </Show>
  );
};

export const InvitationsSection: Component = () => {
  const created = useSubmission(invite);
  return (
    <section class="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <p class="muted">Invite teammates with the role they need. They choose their own password.</p>
      <InviteForm />
      <Show when={created.result}>
        {(invitation) => <NewInvitationNotice invitation={invitation()} onDismiss={() => created.clear()} />}
      </Show>
      <h3 class="subhead">Sent invitations</h3>
      <Suspense fallback={<SkeletonRows rows={3} />}>
        <InvitationTable />
      </Suspense>
    </section>
  );
};

export const InvitationsForbidden: Component = () => (
  <section class="card" aria-labelledby="invitations-title">
    <h2 id="invitations-title">Invitations</h2>
    <p class="empty">Only owners and admins can invite people. Ask one of them for an invitation link.</p>
  </section>
);
