import { type Component, For, Show } from "solid-js";
import type { AuditEvent } from "../../api/audit";

type Actor = AuditEvent["actor"];

const actorKind: Record<Actor["type"], string> = {
  user: "User",
  ai_assistant: "Assistant",
  api_key: "API key",
  system: "System",
};

/** Who acted; an assistant, key or the system gets a badge so it never reads as a person. */
export const ActorCell: Component<{ actor: Actor }> = (props) => (
  <span class="audit-actor">
    <Show when={props.actor.type !== "user"}>
      <span class={`audit-kind audit-kind-${props.actor.type}`} title={`Actor type: ${props.actor.type}`}>
        <Show when={props.actor.type === "ai_assistant"}>
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <path d="M8 1.5 9.4 6.6 14.5 8 9.4 9.4 8 14.5 6.6 9.4 1.5 8 6.6 6.6Z" />
          </svg>
        </Show>
        {actorKind[props.actor.type]}
      </span>
    </Show>
    <span class="audit-actor-name" title={props.actor.id}>
      {props.actor.display ?? props.actor.id}
    </span>
  </span>
);

export const OutcomeTag: Component<{ outcome: AuditEvent["outcome"] }> = (props) => (
  <span class={`audit-outcome audit-outcome-${props.outcome}`}>
    <span class="gov-dot" aria-hidden="true" />
    {props.outcome === "success" ? "Success" : "Failure"}
  </span>
);

/** Risk as a word with colour; "none" stays quiet so the risky rows stand out. */
export const RiskTag: Component<{ level: string }> = (props) => (
  <Show when={props.level !== "none"} fallback={<span class="muted audit-risk-none">none</span>}>
    <span class={`tag audit-risk audit-risk-${props.level}`}>{props.level}</span>
  </Show>
);

export const TargetCell: Component<{ targets: AuditEvent["target"] }> = (props) => (
  <Show when={props.targets.length > 0} fallback={<span class="muted">—</span>}>
    <span class="audit-target" title={props.targets.map((t) => `${t.type}:${t.id}`).join(", ")}>
      <For each={props.targets.slice(0, 1)}>
        {(t) => (
          <>
            <span class="audit-target-name">{t.name ?? t.id}</span>{" "}
            <span class="muted audit-target-type">{t.type}</span>
          </>
        )}
      </For>
      <Show when={props.targets.length > 1}>
        <span class="muted audit-target-more">+{props.targets.length - 1} more</span>
      </Show>
    </span>
  </Show>
);

const MASK = /\[MASKED(?::[a-z0-9_]+)?\]/gi;

/** Text with the server's `[MASKED:kind]` placeholders marked, so a reader sees what was hidden. */
export const MaskedText: Component<{ text: string }> = (props) => {
  const parts = () => {
    const out: { text: string; masked: boolean }[] = [];
    let last = 0;
    for (const m of props.text.matchAll(MASK)) {
      const at = m.index ?? 0;
      if (at > last) out.push({ text: props.text.slice(last, at), masked: false });
      out.push({ text: m[0], masked: true });
      last = at + m[0].length;
    }
    if (last < props.text.length) out.push({ text: props.text.slice(last), masked: false });
    return out;
  };
  return <For each={parts()}>{(p) => (p.masked ? <mark class="audit-masked">{p.text}</mark> : p.text)}</For>;
};
