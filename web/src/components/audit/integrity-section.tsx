import { type Component, createSignal, For, Show } from "solid-js";
import type { AuditEvent } from "../../api/audit";
import { CopyButton } from "../copy-button";
import { Fact } from "./facts";
import { type Verdict, verifyEvent } from "./verify-event";

const VerdictView: Component<{ verdict: Verdict }> = (props) => (
  <div
    class={`audit-verdict audit-verdict-${props.verdict.ok ? "ok" : "bad"}`}
    role="status"
    data-testid="verify-result"
  >
    <p class="audit-verdict-head">
      <span class="audit-verdict-mark" aria-hidden="true">
        {props.verdict.ok ? "✓" : "✗"}
      </span>
      {props.verdict.title}
    </p>
    <ul>
      <For each={props.verdict.steps}>
        {(s) => (
          <li classList={{ failed: s.ok === false, skipped: s.ok === null }}>
            <span aria-hidden="true">{s.ok === null ? "–" : s.ok ? "✓" : "✗"}</span> {s.text}
          </li>
        )}
      </For>
    </ul>
  </div>
);

/** Seq and leaf hash, and a check of both against the latest signed checkpoint, run in this browser. */
export const IntegritySection: Component<{ event: AuditEvent }> = (props) => {
  const [verdict, setVerdict] = createSignal<Verdict>();
  const [running, setRunning] = createSignal(false);
  const run = async () => {
    if (running()) return;
    setRunning(true);
    setVerdict(undefined);
    try {
      setVerdict(await verifyEvent(props.event));
    } finally {
      setRunning(false);
    }
  };
  return (
    <section class="audit-block audit-integrity" aria-labelledby="audit-integrity-title">
      <h3 id="audit-integrity-title">Integrity</h3>
      <dl class="audit-facts">
        <Fact label="Sequence">#{props.event.seq}</Fact>
        <Fact label="Event id">
          <code>{props.event.event_id}</code>
        </Fact>
        <Fact label="Leaf hash">
          <span class="audit-hash">
            <code data-testid="leaf-hash">{props.event.integrity.leaf_hash}</code>
            <CopyButton text={props.event.integrity.leaf_hash} />
          </span>
        </Fact>
      </dl>
      <div class="audit-verify">
        <button type="button" class="button secondary" aria-busy={running()} onClick={() => void run()}>
          {running() ? "Verifying…" : "Verify this event"}
        </button>
        <p class="hint">
          Recomputes the leaf hash from the event's content and checks its inclusion proof against the latest
          signed checkpoint, here in your browser. The signing key comes from this server: compare its id with
          one you keep elsewhere to rule out the server itself.
        </p>
      </div>
      <Show when={verdict()}>{(v) => <VerdictView verdict={v()} />}</Show>
    </section>
  );
};
