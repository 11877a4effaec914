import { type Component, For, Show } from "solid-js";
import { ApiError } from "../api/client";

type Props = {
  error: unknown;
  /** Names of the inputs that show their own error, so only the rest are listed here. */
  fields?: readonly string[];
};

const isField = (path: string, fields: readonly string[]) =>
  fields.some((f) => path === f || path.startsWith(`${f}.`));

/** The error from a form's last submission, as text. */
export const FormAlert: Component<Props> = (props) => {
  const apiError = () => (props.error instanceof ApiError ? props.error : undefined);
  const otherIssues = () => apiError()?.details.filter((d) => !isField(d.path, props.fields ?? [])) ?? [];
  const message = () => {
    const err = apiError();
    if (!err) return "Could not reach the server. Check your connection and try again.";
    // The server's summary for bad input ("Invalid json") says less than the highlighted fields do.
    if (err.code === "validation_error" && err.details.length > 0 && otherIssues().length === 0) {
      return "Please correct the highlighted fields.";
    }
    return err.message;
  };
  return (
    <Show when={props.error}>
      <div class="alert" role="alert">
        <p>{message()}</p>
        <Show when={otherIssues().length > 0}>
          <ul>
            <For each={otherIssues()}>
              {(issue) => (
                <li>
                  <code>{issue.path}</code> {issue.message}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </Show>
  );
};
