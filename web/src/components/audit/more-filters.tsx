import { type Component, createSignal, createUniqueId, For, Show } from "solid-js";
import { outcomes, riskLevels } from "../../api/audit";
import type { AuditFilterState, FilterPatch } from "./filters-state";

type Props = { filters: AuditFilterState; update: (patch: FilterPatch, replace?: boolean) => void };

const TextFilter: Component<{
  label: string;
  value: string | undefined;
  placeholder: string;
  onCommit: (v: string) => void;
  hint?: string;
}> = (props) => {
  const id = createUniqueId();
  return (
    <div class="field audit-field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        value={props.value ?? ""}
        placeholder={props.placeholder}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => props.onCommit(e.currentTarget.value.trim())}
      />
      <Show when={props.hint}>
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      </Show>
    </div>
  );
};

const FieldConditions: Component<Props> = (props) => {
  const id = createUniqueId();
  const [draft, setDraft] = createSignal("");
  const [problem, setProblem] = createSignal<string>();
  const add = () => {
    const value = draft().trim();
    if (!value) return;
    if (!/^[A-Za-z0-9_.-]+\s*(!=|>=|<=|=|>|<)/.test(value)) {
      setProblem("Write it as path, operator, value: metadata.amount>=50000");
      return;
    }
    setProblem(undefined);
    setDraft("");
    props.update({ field: [...props.filters.field, value] });
  };
  return (
    <div class="field audit-field audit-conditions">
      <label for={id}>Field condition (advanced)</label>
      <div class="audit-condition-input">
        <input
          id={id}
          type="text"
          value={draft()}
          placeholder="metadata.amount>=50000"
          aria-invalid={problem() !== undefined}
          aria-describedby={`${id}-hint`}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" class="button small secondary" onClick={add}>
          Add
        </button>
      </div>
      <p id={`${id}-hint`} class={problem() ? "field-error" : "hint"}>
        {problem() ??
          "A JSON path under metadata, changes, ai, error, approval, correlation or actor; operators = != > >= < <=. Conditions add up."}
      </p>
    </div>
  );
};

/** Search, time range, the chat-originated switch, and the rest behind "More filters". */
/** The filters behind "More filters": one field each, applied when the field is left or Enter pressed. */
export const MoreFilters: Component<Props> = (props) => {
  const id = createUniqueId();
  return (
    <div id="audit-more-filters" class="audit-more">
      <TextFilter
        label="Event type"
        value={props.filters.event_type}
        placeholder="refund.*, user.change_role"
        onCommit={(v) => props.update({ event_type: v })}
      />
      <TextFilter
        label="User"
        value={props.filters.user}
        placeholder="User id"
        hint="The person, directly or on whose behalf"
        onCommit={(v) => props.update({ user: v })}
      />
      <TextFilter
        label="Tool"
        value={props.filters.tool_name}
        placeholder="issue_refund"
        onCommit={(v) => props.update({ tool_name: v })}
      />
      <TextFilter
        label="Conversation"
        value={props.filters.conversation_id}
        placeholder="Conversation id"
        onCommit={(v) => props.update({ conversation_id: v })}
      />
      <TextFilter
        label="Target"
        value={props.filters.target}
        placeholder="Target id"
        onCommit={(v) => props.update({ target: v })}
      />
      <div class="field audit-field">
        <label for={`${id}-outcome`}>Outcome</label>
        <select
          id={`${id}-outcome`}
          value={props.filters.outcome ?? ""}
          onChange={(e) => props.update({ outcome: e.currentTarget.value })}
        >
          <option value="">Any outcome</option>
          <For each={outcomes}>{(o) => <option value={o}>{o}</option>}</For>
        </select>
      </div>
      <div class="field audit-field">
        <label for={`${id}-risk`}>Risk</label>
        <select
          id={`${id}-risk`}
          value={props.filters.risk ?? ""}
          onChange={(e) => props.update({ risk: e.currentTarget.value })}
        >
          <option value="">Any risk</option>
          <For each={riskLevels.filter((r) => r !== "none")}>
            {(r) => <option value={r}>{r} or higher</option>}
          </For>
        </select>
      </div>
      <FieldConditions {...props} />
    </div>
  );
};
