import { createAsync } from "@solidjs/router";
import { type Component, createSignal, For, Show, Suspense } from "solid-js";
import { listApprovals } from "../../api/audit-approvals";
import { ApprovalRow } from "./approvals-row";
import { SkeletonRows } from "./skeleton-rows";

const List: Component<{ status: "pending" | "all"; myId: string }> = (props) => {
  const page = createAsync(() => listApprovals(props.status));
  return (
    <Show when={page()}>
      {(p) => (
        <Show
          when={p().data.length > 0}
          fallback={
            <p class="empty">
              {props.status === "pending"
                ? "Nothing waits for approval. When someone lowers retention or takes another dual-approval action, the request shows up here for a second admin."
                : "No approval requests yet."}
            </p>
          }
        >
          <ul class="list-column approvals" aria-label="Approval requests">
            <For each={p().data}>{(a) => <ApprovalRow approval={a} myId={props.myId} />}</For>
          </ul>
        </Show>
      )}
    </Show>
  );
};

/** Requests for sensitive actions: decide on others', cancel your own. */
export const ApprovalsSection: Component<{ myId: string }> = (props) => {
  const [status, setStatus] = createSignal<"pending" | "all">("pending");
  return (
    <section class="card" aria-labelledby="approvals-title">
      <div class="section-head">
        <div>
          <h2 id="approvals-title">Approvals</h2>
          <p class="muted">
            Sensitive actions wait here until a second owner or admin approves them. You can’t approve your
            own request, only cancel it. Every request and decision is recorded in the audit log.
          </p>
        </div>
        <fieldset class="segmented" aria-label="Which requests">
          <button type="button" aria-pressed={status() === "pending"} onClick={() => setStatus("pending")}>
            Pending
          </button>
          <button type="button" aria-pressed={status() === "all"} onClick={() => setStatus("all")}>
            All
          </button>
        </fieldset>
      </div>
      <Suspense fallback={<SkeletonRows rows={3} />}>
        <List status={status()} myId={props.myId} />
      </Suspense>
    </section>
  );
};
