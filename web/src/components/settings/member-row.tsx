import { useSubmission } from "@solidjs/router";
import { type Component, createEffect, createSignal, For, on, Show } from "solid-js";
import { changeRole, isRole, type Member, type Role, removeMember, roleDescriptions } from "../../api/users";
import { FormAlert } from "../form-alert";

const day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

type Props = {
  member: Member;
  /** The signed-in user's id and role. */
  me: { id: string; role: Role };
};

const allRoles = Object.keys(roleDescriptions) as Role[];

/** Roles the signed-in user may give; only owners make or change owners (the server enforces it too). */
const grantable = (mine: Role) => (mine === "owner" ? allRoles : allRoles.filter((r) => r !== "owner"));

export const MemberRow: Component<Props> = (props) => {
  const isSelf = () => props.member.id === props.me.id;
  const mayManage = () =>
    (props.me.role === "owner" || props.me.role === "admin") &&
    (props.me.role === "owner" || props.member.role !== "owner");
  const [draft, setDraft] = createSignal<Role>(props.member.role);
  createEffect(on(() => props.member.role, setDraft));
  const [confirming, setConfirming] = createSignal(false);
  const saving = useSubmission(changeRole, ([id]) => id === props.member.id);
  const removing = useSubmission(removeMember, ([id]) => id === props.member.id);
  const cancel = () => {
    setDraft(props.member.role);
    saving.clear();
  };

  return (
    <tr>
      <td>
        <div class="member">
          <span class="avatar" aria-hidden="true">
            {props.member.email.slice(0, 1).toUpperCase()}
          </span>
          <span class="member-email">{props.member.email}</span>
          <Show when={isSelf()}>
            <span class="badge muted-badge">You</span>
          </Show>
        </div>
      </td>
      <td>
        <Show when={mayManage()} fallback={<span class="badge role-badge">{props.member.role}</span>}>
          <form action={changeRole.with(props.member.id)} method="post" class="role-form">
            <label class="visually-hidden" for={`role-${props.member.id}`}>
              Role for {props.member.email}
            </label>
            <select
              id={`role-${props.member.id}`}
              name="role"
              value={draft()}
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (isRole(value)) setDraft(value);
              }}
            >
              <For each={grantable(props.me.role)}>{(role) => <option value={role}>{role}</option>}</For>
            </select>
            <Show when={draft() !== props.member.role}>
              <button type="submit" class="button small primary" disabled={saving.pending}>
                {saving.pending ? "Saving…" : "Save"}
              </button>
              <button type="button" class="button small ghost" onClick={cancel}>
                Cancel
              </button>
            </Show>
          </form>
        </Show>
      </td>
      <td class="muted date">
        <time datetime={props.member.created_at} title={props.member.created_at}>
          {day.format(new Date(props.member.created_at))}
        </time>
      </td>
      <td class="actions">
        <Show when={mayManage() && !isSelf()}>
          <Show
            when={confirming()}
            fallback={
              <button type="button" class="button small danger-outline" onClick={() => setConfirming(true)}>
                Remove
              </button>
            }
          >
            <form action={removeMember.with(props.member.id)} method="post" class="inline-confirm">
              <button type="submit" class="button small danger" disabled={removing.pending}>
                {removing.pending ? "Removing…" : "Confirm remove"}
              </button>
              <button
                type="button"
                class="button small ghost"
                onClick={() => {
                  setConfirming(false);
                  removing.clear();
                }}
              >
                Cancel
              </button>
            </form>
          </Show>
        </Show>
        <FormAlert error={saving.error ?? removing.error} />
      </td>
    </tr>
  );
};
