import { type Component, createSignal, createUniqueId, For, Show } from "solid-js";

type Props = {
  label: string;
  items: readonly string[];
  onChange: (items: string[]) => void;
  placeholder: string;
  /** A problem with a new item, in words, or undefined when it may be added. */
  check: (item: string) => string | undefined;
  max: number;
  hint: string;
};

/** A list of short strings as removable chips, with a field to add more (Enter or the Add button). */
export const ChipEditor: Component<Props> = (props) => {
  const id = createUniqueId();
  const [draft, setDraft] = createSignal("");
  const [problem, setProblem] = createSignal<string>();
  const add = () => {
    const item = draft().trim();
    if (!item) return;
    const issue = props.items.includes(item)
      ? "Already in the list."
      : props.items.length >= props.max
        ? `At most ${props.max}.`
        : props.check(item);
    setProblem(issue);
    if (issue) return;
    props.onChange([...props.items, item]);
    setDraft("");
  };
  return (
    <div class="audit-chip-editor">
      <ul class="audit-chip-list" aria-label={props.label}>
        <For each={props.items} fallback={<li class="muted">None.</li>}>
          {(item) => (
            <li class="audit-chip">
              <code>{item}</code>
              <button
                type="button"
                aria-label={`Remove ${item}`}
                onClick={() => props.onChange(props.items.filter((i) => i !== item))}
              >
                ×
              </button>
            </li>
          )}
        </For>
      </ul>
      <div class="field" classList={{ invalid: problem() !== undefined }}>
        <label for={id} class="visually-hidden">
          Add to {props.label}
        </label>
        <div class="audit-condition-input">
          <input
            id={id}
            type="text"
            value={draft()}
            placeholder={props.placeholder}
            aria-invalid={problem() !== undefined}
            aria-describedby={`${id}-hint`}
            onInput={(e) => {
              setDraft(e.currentTarget.value);
              setProblem(undefined);
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" class="button secondary" onClick={add}>
            Add
          </button>
        </div>
        <p id={`${id}-hint`} class={problem() ? "field-error" : "hint"}>
          <Show when={problem()} fallback={props.hint}>
            {problem()}
          </Show>
        </p>
      </div>
    </div>
  );
};
