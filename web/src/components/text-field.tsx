import { type Component, createUniqueId, Show } from "solid-js";
import { ApiError } from "../api/client";

type Props = {
  name: string;
  label: string;
  type?: "text" | "email" | "password";
  autocomplete?: string;
  placeholder?: string;
  hint?: string;
  required?: boolean;
  /** The form's last error; a detail whose path is this field's name is shown under the input. */
  error?: unknown;
};

export const TextField: Component<Props> = (props) => {
  const id = createUniqueId();
  const message = () => (props.error instanceof ApiError ? props.error.fieldMessage(props.name) : undefined);
  const note = () => message() ?? props.hint;
  return (
    <div class="field" classList={{ invalid: message() !== undefined }}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        autocomplete={props.autocomplete}
        placeholder={props.placeholder}
        required={props.required}
        aria-invalid={message() !== undefined}
        aria-describedby={note() ? `${id}-note` : undefined}
      />
      <Show when={note()}>
        {(text) => (
          <p id={`${id}-note`} class={message() ? "field-error" : "hint"}>
            {text()}
          </p>
        )}
      </Show>
    </div>
  );
};
