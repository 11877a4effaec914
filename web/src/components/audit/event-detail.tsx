import { type Component, For, Show } from "solid-js";
import type { AuditEvent } from "../../api/audit";
import { CopyButton } from "../copy-button";
import { AiContext } from "./ai-context";
import { ActorCell, MaskedText, OutcomeTag, RiskTag } from "./badges";
import { ChangesDiff } from "./changes-diff";
import { showValue } from "./diff";
import { Fact } from "./facts";
import { IntegritySection } from "./integrity-section";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const when = (iso: string) => dateTime.format(new Date(iso));
const crudLabel = { c: "create", r: "read", u: "update", d: "delete" } as const;

const Who: Component<{ e: AuditEvent }> = (props) => (
  <dl class="audit-facts">
    <Fact label="Actor">
      <ActorCell actor={props.e.actor} />
      <span class="sub muted">
        <code>{props.e.actor.id}</code>
      </span>
    </Fact>
    <Fact label="On behalf of">{props.e.on_behalf_of ?? <span class="muted">—</span>}</Fact>
    <Fact label="Channel">{props.e.channel}</Fact>
    <Fact label="Operation">{crudLabel[props.e.crud]}</Fact>
    <Fact label="Occurred">
      <time datetime={props.e.occurred_at}>{when(props.e.occurred_at)}</time>
    </Fact>
    <Fact label="Received">
      <time datetime={props.e.received_at}>{when(props.e.received_at)}</time>
    </Fact>
    <Show when={props.e.source_ip}>{(ip) => <Fact label="Source IP">{ip()}</Fact>}</Show>
    <Show when={props.e.user_agent}>
      {(ua) => (
        <Fact label="User agent">
          <span class="audit-wrap">{ua()}</span>
        </Fact>
      )}
    </Show>
    <Show when={props.e.reason}>
      {(reason) => (
        <Fact label="Reason">
          <MaskedText text={reason()} />
        </Fact>
      )}
    </Show>
  </dl>
);

const Targets: Component<{ targets: AuditEvent["target"] }> = (props) => (
  <section class="audit-block" aria-labelledby="audit-targets-title">
    <h3 id="audit-targets-title">Targets</h3>
    <ul class="list-column audit-targets">
      <For each={props.targets}>
        {(t) => (
          <li>
            <span class="badge muted-badge">{t.type}</span>
            <Show when={t.name}>
              <strong>{t.name}</strong>{" "}
            </Show>
            <a href={`/audit?target=${encodeURIComponent(t.id)}`} title="Every event on this target">
              <code>{t.id}</code>
            </a>
          </li>
        )}
      </For>
    </ul>
  </section>
);

const Changes: Component<{ e: AuditEvent }> = (props) => (
  <section class="audit-block" aria-labelledby="audit-changes-title">
    <h3 id="audit-changes-title">Changes</h3>
    <Show when={props.e.changes}>{(changes) => <ChangesDiff changes={changes()} />}</Show>
    <Show when={props.e.changes_ref}>
      {(ref) => (
        <p class="hint">
          The full change set ({ref().bytes.toLocaleString()} bytes) was too large to keep inline; it is
          stored by its hash <code>{ref().sha256.slice(0, 16)}…</code>.
        </p>
      )}
    </Show>
  </section>
);

const Metadata: Component<{ metadata: Record<string, unknown> }> = (props) => (
  <section class="audit-block" aria-labelledby="audit-metadata-title">
    <h3 id="audit-metadata-title">Metadata</h3>
    <dl class="audit-facts">
      <For each={Object.entries(props.metadata)}>
        {([key, value]) => (
          <Fact label={key}>
            <code>
              <MaskedText text={showValue(value)} />
            </code>
          </Fact>
        )}
      </For>
    </dl>
  </section>
);

const Context: Component<{ e: AuditEvent }> = (props) => (
  <section class="audit-block" aria-labelledby="audit-context-title">
    <h3 id="audit-context-title">Risk, approval and correlation</h3>
    <dl class="audit-facts">
      <Fact label="Risk">
        <RiskTag level={props.e.risk.level} />
        <Show when={props.e.risk.rules.length}>
          <span class="sub muted">matched {props.e.risk.rules.join(", ")}</span>
        </Show>
      </Fact>
      <Show when={props.e.approval}>
        {(approval) => (
          <Fact label="Approval">
            <Show when={approval().request_id}>{(id) => <code>{id()}</code>}</Show>
            <For each={approval().approvers}>
              {(a) => (
                <span class="sub">
                  {a.decision} by <code>{a.id}</code>
                  <Show when={a.at}>{(at) => <> · {when(at())}</>}</Show>
                </span>
              )}
            </For>
          </Fact>
        )}
      </Show>
      <Show when={props.e.correlation.trace_id}>
        {(trace) => (
          <Fact label="Trace">
            <a href={`/traces/${encodeURIComponent(trace())}`}>
              <code>{trace()}</code> →
            </a>
          </Fact>
        )}
      </Show>
      <Show when={props.e.correlation.request_id}>
        {(id) => (
          <Fact label="Request">
            <code>{id()}</code>
          </Fact>
        )}
      </Show>
      <Fact label="Masking">
        {props.e.masking.policy_version} · {props.e.masking.masked} masked
      </Fact>
    </dl>
  </section>
);

/** Everything recorded about one event, with its proof of inclusion in the log. */
export const EventDetail: Component<{ e: AuditEvent }> = (props) => (
  <div class="audit-detail">
    <div class="audit-detail-tags">
      <OutcomeTag outcome={props.e.outcome} />
      <Show when={props.e.risk.level !== "none"}>
        <RiskTag level={props.e.risk.level} />
      </Show>
      <span class="badge muted-badge">{props.e.channel}</span>
    </div>
    <Show when={props.e.error}>
      {(error) => (
        <div class="alert" role="note">
          <strong>{error().code ?? "Failed"}</strong>: {error().message}
        </div>
      )}
    </Show>
    <Who e={props.e} />
    <Show when={props.e.target.length}>
      <Targets targets={props.e.target} />
    </Show>
    <Show when={props.e.changes || props.e.changes_ref}>
      <Changes e={props.e} />
    </Show>
    <Show when={props.e.ai}>{(ai) => <AiContext ai={ai()} masked={props.e.masking.masked} />}</Show>
    <Show when={Object.keys(props.e.metadata).length}>
      <Metadata metadata={props.e.metadata} />
    </Show>
    <Context e={props.e} />
    <IntegritySection event={props.e} />
    <details class="audit-raw">
      <summary>Raw event (JSON)</summary>
      <div class="code-block">
        <CopyButton text={JSON.stringify(props.e, null, 2)} />
        <pre>
          <code>{JSON.stringify(props.e, null, 2)}</code>
        </pre>
      </div>
    </details>
  </div>
);
