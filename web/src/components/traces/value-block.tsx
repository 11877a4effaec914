import { type Component, createSignal, Show } from "solid-js";
import { type PayloadField, payloadUrl } from "../../api/traces";
import { CopyButton } from "../copy-button";
import { toText } from "./format";

type Props = {
  label: string;
  value: unknown;
  spanId: string;
  field: PayloadField;
  truncated: boolean;
  testId?: string;
};

const COLLAPSE_OVER_LINES = 24;

/**
 * An untrusted span value (input, output, tool arguments…) shown as text: strings as written,
 * anything else as indented JSON. Never parsed as HTML, whatever it contains.
 */
export const ValueBlock: Component<Props> = (props) => {
  const text = () => toText(props.value);
  const long = () => text().split("\n", COLLAPSE_OVER_LINES + 1).length > COLLAPSE_OVER_LINES;
  const [open, setOpen] = createSignal(false);
  return (
    <section class="value-block">
      <header>
        <h4>{props.label}</h4>
        <CopyButton text={text()} />
      </header>
      <pre classList={{ clamped: long() && !open() }} data-testid={props.testId}>
        {text()}
      </pre>
      <Show when={long()}>
        <button type="button" class="link-button value-toggle" onClick={() => setOpen(!open())}>
          {open() ? "Show less" : "Show all"}
        </button>
      </Show>
      <Show when={props.truncated}>
        <p class="hint truncated-note">
          Cut to 16 KB here.{" "}
          <a href={payloadUrl(props.spanId, props.field)} target="_blank" rel="noopener">
            Open the full value
          </a>
        </p>
      </Show>
    </section>
  );
};
