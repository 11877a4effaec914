import { For } from "solid-js";

type Props<T extends string> = {
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
};

/** A row of toggle buttons for one choice (range, grouping); each is a tab stop with aria-pressed. */
export function Segmented<T extends string>(props: Props<T>) {
  return (
    <fieldset class="segmented">
      <legend class="visually-hidden">{props.label}</legend>
      <For each={props.options}>
        {(option) => (
          <button
            type="button"
            aria-pressed={props.value === option.value}
            onClick={() => props.onChange(option.value)}
          >
            {option.label}
          </button>
        )}
      </For>
    </fieldset>
  );
}
