import { useAction, useSubmission } from "@solidjs/router";
import { type Component, createSignal, createUniqueId, For, Show } from "solid-js";
import { type Approval, approveRequest, cancelRequest, rejectRequest } from "../../api/audit-approvals";
import { FormAlert } from "../form-alert";
import { Time } from "../time";

const statusText: Record<Approval["status"], string> = {
  pending: "Pending",
  approved: "Approved",
  rejected: "Rejected",
  expired: "Expired",
  cancelled: "Cancelled",
};

const Params: Component<{ params: Record<string, unknown> }> = (props) => (
  <Show when={Object.keys(props.params).length > 0}>
    <dl class="approval-params">
      <For each={Object.entries(props.params)}>
        {([k, v]) => (
          <div>
            <dt>{k}</dt>
            <dd>
              <code>{typeof v === "string" ? v : JSON.stringify(v)}</code>
            </dd>
          </div>
        )}
      </For>
    </dl>
  </Show>
);

const Decide: Component<{ approval: Approval }> = (props) => {
  const id = createUniqueId();
  const [rejecting, setRejecting] = createSignal(false);
  const [reason, setReason] = createSignal("");
  const approving = useSubmission(approveRequest, ([rid]) => rid === props.approval.id);
  const refusing = useSubmission(rejectRequest, ([rid]) => rid === props.approval.id);
  const reject = useAction(rejectRequest);
  return (
    <div class="approval-actions">
      <Show
        when={rejecting()}
        fallback={
          <>
            <form action={approveRequest.with(props.approval.id)} method="post">
              <button type="submit" class="button small primary" disabled={approving.pending}>
                {approving.pending ? "Approving…" : "Approve"}
              </button>
            </form>
            <button type="button" class="button small danger-outline" onClick={() => setRejecting(true)}>
              Reject
            </button>
          </>
        }
      >
        <form
          class="approval-reject"
          aria-label="Reject request"
          onSubmit={(e) => {
            e.preventDefault();
            void reject(props.approval.id, reason()).catch(() => {});
          }}
        >
          <label for={id} class="visually-hidden">
            Reason for rejecting
          </label>
          <input
            id={id}
            type="text"
            placeholder="Reason (optional)"
            maxLength={500}
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <button type="submit" class="button small danger" disabled={refusing.pending}>
            {refusing.pending ? "Rejecting…" : "Confirm reject"}
          </button>
          <button type="button" class="button small ghost" onClick={() => setRejecting(false)}>
            Cancel
          </button>
        </form>
      </Show>
      <FormAlert error={approving.error ?? refusing.error} />
    </div>
  );
};

const Own: Component<{ approval: Approval }> = (props) => {
  const cancelling = useSubmission(cancelRequest, ([rid]) => rid === props.approval.id);
  return (
    <div class="approval-actions">
      <span class="muted">Waiting for another admin</span>
      <form action={cancelRequest.with(props.approval.id)} method="post">
        <button type="submit" class="button small secondary" disabled={cancelling.pending}>
          {cancelling.pending ? "Cancelling…" : "Cancel request"}
        </button>
      </form>
      <FormAlert error={cancelling.error} />
    </div>
  );
};

/** One request: what it would do, who asked, and what the signed-in admin may do about it. */
export const ApprovalRow: Component<{ approval: Approval; myId: string }> = (props) => {
  const mine = () => props.approval.requested_by.id === props.myId;
  return (
    <li class={`approval approval-${props.approval.status}`} data-testid="approval">
      <div class="approval-main">
        <p class="approval-summary">
          <span class={`approval-status approval-status-${props.approval.status}`}>
            {statusText[props.approval.status]}
          </span>
          <strong>{props.approval.summary}</strong>
        </p>
        <p class="muted approval-meta">
          <code>{props.approval.action}</code> · asked by{" "}
          {mine() ? "you" : (props.approval.requested_by.email ?? props.approval.requested_by.id)}{" "}
          <Time value={props.approval.requested_at} />
          <Show when={props.approval.status === "pending"}>
            {" "}
            · expires <Time value={props.approval.expires_at} />
          </Show>
          <Show when={props.approval.decided_by}>
            {(by) => (
              <>
                {" "}
                · {props.approval.status} by {by().email ?? by().id}
                <Show when={props.approval.decided_at}>
                  {(at) => (
                    <>
                      {" "}
                      <Time value={at()} />
                    </>
                  )}
                </Show>
              </>
            )}
          </Show>
        </p>
        <Show when={props.approval.reason}>{(reason) => <p class="approval-reason">“{reason()}”</p>}</Show>
        <Params params={props.approval.params} />
      </div>
      <Show when={props.approval.status === "pending"}>
        <Show
          when={props.approval.can_decide}
          fallback={
            <Show when={mine()}>
              <Own approval={props.approval} />
            </Show>
          }
        >
          <Decide approval={props.approval} />
        </Show>
      </Show>
    </li>
  );
};
