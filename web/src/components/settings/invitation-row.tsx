import { useSubmission } from "@solidjs/router";
import { type Component, createSignal, Show } from "solid-js";
import { type PendingInvitation, revokeInvitation } from "../../api/users";
import { FormAlert } from "../form-alert";
import { Time } from "../time";

type Status = "pending" | "accepted" | "expired";

const statusOf = (inv: PendingInvitation): Status => {
  if (inv.accepted_at !== null) return "accepted";
  return Date.parse(inv.expires_at) <= Date.now() ? "expired" : "pending";
};

const statusLabel: Record<Status, string> = { pending: "Pending", accepted: "Accepted", expired: "Expired" };

export const InvitationRow: Component<{ invitation: PendingInvitation }> = (props) => {
  const [confirming, setConfirming] = createSignal(false);
  const revoking = useSubmission(revokeInvitation, ([id]) => id === props.invitation.id);
  const status = () => statusOf(props.invitation);
  return (
    <tr classList={{ settled: status() !== "pending" }}>
      <td class="member-email">{props.invitation.email}</td>
      <td>
        <span class="badge role-badge">{props.invitation.role}</span>
      </td>
      <td>
        <span class={`status ${status()}`}>{statusLabel[status()]}</span>
      </td>
      <td class="muted date">
        <Time value={props.invitation.created_at} />
      </td>
      <td class="muted date">
        <Show when={status() === "pending"} fallback="—">
          <Time value={props.invitation.expires_at} />
        </Show>
      </td>
      <td class="actions">
        <Show when={status() === "pending"}>
          <Show
            when={confirming()}
            fallback={
              <button type="button" class="button small danger-outline" onClick={() => setConfirming(true)}>
                Revoke
              </button>
            }
          >
            <form action={revokeInvitation.with(props.invitation.id)} method="post" class="inline-confirm">
              <button type="submit" class="button small danger" disabled={revoking.pending}>
                {revoking.pending ? "Revoking…" : "Confirm revoke"}
              </button>
              <button type="button" class="button small ghost" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </form>
          </Show>
        </Show>
        <FormAlert error={revoking.error} />
      </td>
    </tr>
  );
};
