import { createAsync } from "@solidjs/router";
import { type Component, For, Show, Suspense } from "solid-js";
import { isAdmin, listMembers, type Role, roleDescriptions } from "../../api/users";
import { MemberRow } from "./member-row";
import { SkeletonRows } from "./skeleton-rows";

type Props = { me: { id: string; role: Role } };

const MemberTable: Component<Props> = (props) => {
  const members = createAsync(() => listMembers());
  return (
    <Show when={members()}>
      {(page) => (
        <div class="table-wrap">
          <table class="data-table members" aria-label="Members">
            <thead>
              <tr>
                <th>Member</th>
                <th>Role</th>
                <th>Joined</th>
                <th>
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={page().data}>{(member) => <MemberRow member={member} me={props.me} />}</For>
            </tbody>
          </table>
        </div>
      )}
    </Show>
  );
};

export const MembersSection: Component<Props> = (props) => {
  return (
    <section class="card" aria-labelledby="members-title">
      <div class="section-head">
        <div>
          <h2 id="members-title">Members</h2>
          <p class="muted">
            {isAdmin(props.me.role)
              ? "Change what people can do, or remove them. Removing someone ends their sessions and revokes their API keys."
              : "Everyone in this workspace. Owners and admins manage roles."}
          </p>
        </div>
        <Show when={isAdmin(props.me.role)}>
          <a class="button secondary" href="/settings/invitations">
            Invite people
          </a>
        </Show>
      </div>
      <Suspense fallback={<SkeletonRows rows={3} />}>
        <MemberTable me={props.me} />
      </Suspense>
      <dl class="role-help">
        <For each={Object.entries(roleDescriptions)}>
          {([role, text]) => (
            <div>
              <dt>{role}</dt>
              <dd>{text}</dd>
            </div>
          )}
        </For>
      </dl>
    </section>
  );
};
