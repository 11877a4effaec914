import type { Component } from "solid-js";
import type { NewApiKey } from "../api/api-keys";
import { CopyButton } from "./copy-button";

type Props = { apiKey: NewApiKey; onDismiss: () => void };

/** The secret of a key just created: the only time the server returns it. */
export const NewKeyNotice: Component<Props> = (props) => (
  <section class="notice success" aria-labelledby="new-key-title">
    <div class="notice-head">
      <h3 id="new-key-title">Your new key “{props.apiKey.name}”</h3>
      <button type="button" class="button small ghost" onClick={() => props.onDismiss()}>
        Done
      </button>
    </div>
    <p>Copy it now and store it somewhere safe. You won’t be able to see it again.</p>
    <div class="secret">
      <code data-testid="new-api-key">{props.apiKey.key}</code>
      <CopyButton text={props.apiKey.key} label="Copy key" />
    </div>
  </section>
);
