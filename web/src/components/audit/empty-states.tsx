import { type Component, Show } from "solid-js";
import { CopyButton } from "../copy-button";

const snippet = (origin: string) => `curl -X POST ${origin}/api/v1/audit/events \\
  -H "Authorization: Bearer $AUDIT_KEY" \\
  -H "Content-Type: application/json" \\
  -H "Idempotency-Key: refund-ord_1042-1" \\
  -d '{
    "event_type": "refund.initiate",
    "crud": "c",
    "actor": { "type": "user", "id": "u_123", "display": "grace@example.com" },
    "target": [{ "type": "order", "id": "ord_1042" }],
    "changes": { "before": { "status": "paid" }, "after": { "status": "refunding" } },
    "metadata": { "amount": 12500, "currency": "EUR" }
  }'`;

/** How a tenant's own services record events: the key, the route, a working request. */
const HowToRecord: Component = () => (
  <>
    <p class="muted">
      Changes made here (roles, API keys, audit settings, approvals) are recorded automatically. To record
      what your own services and assistants do, create an API key with the <code>audit:write</code> scope in{" "}
      <a href="/settings/api-keys">Settings → API keys</a> and send events to{" "}
      <code>/api/v1/audit/events</code>, one at a time or up to 100 as <code>{"{ events: [...] }"}</code>:
    </p>
    <div class="code-block">
      <CopyButton text={snippet(window.location.origin)} />
      <pre>
        <code>{snippet(window.location.origin)}</code>
      </pre>
    </div>
    <p class="hint">
      An assistant's action carries{" "}
      <code>
        "actor": {"{"} "type": "ai_assistant", … {"}"}
      </code>{" "}
      and{" "}
      <code>
        "ai": {"{"} "conversation_id", "prompt", "tool_name", "tool_args", "model" {"}"}
      </code>
      ; secrets in prompts, arguments, changes and metadata are masked before they are stored. The full schema
      is in the{" "}
      <a href="/api/docs" target="_blank" rel="noopener">
        API reference
      </a>
      .
    </p>
  </>
);

/** A tenant with no events yet: how to send the first one. */
export const NoEventsYet: Component = () => (
  <section class="card audit-empty" aria-labelledby="audit-empty-title" data-testid="audit-empty">
    <h2 id="audit-empty-title">No audit events yet</h2>
    <HowToRecord />
  </section>
);

/** The same help, folded, under a log that so far holds only what happened in AuditTrail itself. */
export const RecordYourOwn: Component<{ open: boolean }> = (props) => (
  <details class="card audit-howto" open={props.open}>
    <summary>Record events from your own services and assistants</summary>
    <HowToRecord />
  </details>
);

export const NoMatchingEvents: Component<{ onClear: () => void }> = (props) => (
  <div class="empty audit-no-match">
    <p>No events match these filters.</p>
    <button type="button" class="button small secondary" onClick={() => props.onClear()}>
      Clear all filters
    </button>
  </div>
);

export const NothingArchived: Component<{ filtered: boolean; onClear: () => void }> = (props) => (
  <div class="empty audit-no-match" data-testid="archive-empty">
    <p>
      {props.filtered
        ? "No archived events match these filters."
        : "Nothing is archived yet. Events move here, one file per day in R2, once they are older than the retention period set in Settings → Audit log."}
    </p>
    <Show when={props.filtered}>
      <button type="button" class="button small secondary" onClick={() => props.onClear()}>
        Clear all filters
      </button>
    </Show>
  </div>
);

export const AdminsOnly: Component = () => (
  <div class="card narrow-card">
    <h1>Audit log</h1>
    <p class="muted">
      Only owners and admins can read the audit log. Ask one of them if you need to see who changed what.
    </p>
  </div>
);
