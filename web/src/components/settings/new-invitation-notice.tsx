import type { Component } from "solid-js";
import type { NewInvitation } from "../../api/users";
import { CopyButton } from "../copy-button";
import { Time } from "../time";

type Props = { invitation: NewInvitation; onDismiss: () => void };

/** The accept link of an invitation just created: the only time the server returns it. */
export const NewInvitationNotice: Component<Props> = (props) => (
  <section class="notice success" aria-labelledby="new-invitation-title">
    <div class="notice-head">
      <h3 id="new-invitation-title">
        Invitation for {props.invitation.email} as {props.invitation.role}
      </h3>
      <button type="button" class="button small ghost" onClick={() => props.onDismiss()}>
        Done
      </button>
    </div>
    <p>
      Send this link to them. It works once, expires <Time value={props.invitation.expires_at} />, and won’t
      be shown again.
    </p>
    <div class="secret">
      <code data-testid="accept-url">{props.invitation.accept_url}</code>
      <CopyButton text={props.invitation.accept_url} label="Copy link" />
    </div>
  </section>
);
