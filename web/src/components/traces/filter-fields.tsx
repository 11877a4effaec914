import { type Component, createEffect, createSignal, For, on, onCleanup } from "solid-js";

export type Options = readonly (readonly [value: string, text: string])[];

type SearchProps = {
  id: string;
  label: string;
  value: string | undefined;
  placeholder: string;
  list?: string;
  onCommit: (value: string) => void;
};

/** A text input that writes to the URL a moment after typing stops, without a history entry per key. */
export const DebouncedSearch: Component<SearchProps> = (props) => {
  const [draft, setDraft] = createSignal(props.value ?? "");
  createEffect(
    on(
      () => props.value,
      (v) => setDraft(v ?? ""),
      { defer: true },
    ),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const commit = (value: string) => {
    clearTimeout(timer);
    if (value.trim() !== (props.value ?? "")) props.onCommit(value.trim());
  };
  return (
    <div class="filter">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="search"
        value={draft()}
        placeholder={props.placeholder}
        list={props.list}
        autocomplete="off"
        onInput={(e) => {
          const value = e.currentTarget.value;
          setDraft(value);
          clearTimeout(timer);
          timer = setTimeout(() => commit(value), 350);
        }}
        onKeyDown={(e) => e.key === "Enter" && commit(e.currentTarget.value)}
      />
    </div>
  );
};

type SelectProps = {
  id: string;
  label: string;
  value: string | undefined;
  options: Options;
  onChange: (value: string) => void;
};

export const Select: Component<SelectProps> = (props) => (
  <div class="filter">
    <label for={props.id}>{props.label}</label>
    <select id={props.id} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <For each={props.options}>
        {([value, text]) => (
          <option value={value} selected={value === (props.value ?? "")}>
            {text}
          </option>
        )}
      </For>
    </select>
  </div>
);

type DateProps = { id: string; label: string; value: string | undefined; onChange: (value: string) => void };

export const DateTimeField: Component<DateProps> = (props) => (
  <div class="filter">
    <label for={props.id}>{props.label}</label>
    <input
      id={props.id}
      type="datetime-local"
      value={props.value ?? ""}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    />
  </div>
);
