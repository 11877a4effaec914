import { type Component, ErrorBoundary, type JSX } from "solid-js";
import { ApiError } from "../../api/client";

const describe = (err: unknown) => {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError && /fetch/i.test(err.message)) return "The server could not be reached.";
  return err instanceof Error ? err.message : String(err);
};

/** Keeps a failing section from taking the whole page down; says what failed and offers a retry. */
export const SectionBoundary: Component<{ what: string; children: JSX.Element }> = (props) => (
  <ErrorBoundary
    fallback={(err, reset) => {
      console.error(`Governance: could not show ${props.what}`, err);
      return (
        <div class="alert gov-section-error" role="alert">
          <p>
            Couldn't load {props.what}: {describe(err)}
          </p>
          <button type="button" class="button small secondary" onClick={reset}>
            Try again
          </button>
        </div>
      );
    }}
  >
    {props.children}
  </ErrorBoundary>
);
