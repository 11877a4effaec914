import type { Component } from "solid-js";
import { CopyButton } from "../copy-button";

/** A signing secret just issued: the only time the server returns it. */
export const SiemSecretNotice: Component<{ title: string; secret: string; onDismiss: () => void }> = (
  props,
) => (
  <section class="notice success" aria-label={props.title}>
    <div class="notice-head">
      <h3>{props.title}</h3>
      <button type="button" class="button small ghost" onClick={() => props.onDismiss()}>
        Done
      </button>
    </div>
    <p>
      Copy the signing secret into your SIEM now: it won’t be shown again. Each delivery carries an
      HMAC-SHA256 signature made with it, so the receiver can tell it came from here.
    </p>
    <div class="secret">
      <code data-testid="siem-secret">{props.secret}</code>
      <CopyButton text={props.secret} label="Copy secret" />
    </div>
  </section>
);
