import { type Component, Show } from "solid-js";
import { type AuditSettings, isPending, type PendingChange } from "../../api/audit";
import { Time } from "../time";

/** The 202 of a change that waits for a second admin. */
export const PendingNotice: Component<{ pending: PendingChange }> = (props) => (
  <div class="notice audit-pending" role="status" data-testid="approval-pending">
    <Show when={props.pending.summary}>{(summary) => <p class="audit-pending-summary">{summary()}</p>}</Show>
    <p>
      <strong>Waiting for another admin.</strong> This change needs a second owner or admin to approve it
      <Show when={props.pending.expires_at}>
        {(at) => (
          <>
            {" "}
            before <Time value={at()} />
          </>
        )}
      </Show>
      . Nothing changes until then.
    </p>
    <p class="hint">
      Request <code>{props.pending.approval_request_id}</code> ·{" "}
      <a href="/settings/approvals">See it under Approvals</a>
    </p>
  </div>
);

/** What the last save of a card did: applied, or waiting for approval. */
export const SaveStatus: Component<{ result: AuditSettings | PendingChange | undefined }> = (props) => (
  <Show when={props.result}>
    {(r) => (
      <Show
        when={isPending(r()) ? (r() as PendingChange) : undefined}
        fallback={
          <p class="audit-saved" role="status">
            Saved.
          </p>
        }
      >
        {(pending) => <PendingNotice pending={pending()} />}
      </Show>
    )}
  </Show>
);
