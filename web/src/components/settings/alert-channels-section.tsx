import { createAsync, revalidate, useSubmission } from "@solidjs/router";
import { type Component, For, onCleanup, Show, Suspense } from "solid-js";
import { createAlertChannel, listAlertChannels } from "../../api/alert-channels";
import { CopyButton } from "../copy-button";
import { AlertChannelForm } from "./alert-channel-form";
import { AlertChannelRow } from "./alert-channel-row";
import { SkeletonRows } from "./skeleton-rows";

const REFRESH_MS = 10_000;

const Channels: Component = () => {
  const list = createAsync(() => listAlertChannels());
  // Statuses move on their own while deliveries and retries run.
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") void revalidate(listAlertChannels.key);
  }, REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  return (
    <Show when={list()}>
      {(page) => (
        <Show
          when={page().data.length > 0}
          fallback={
            <p class="empty">No channels yet. Add one above and alerts are sent to it as they fire.</p>
          }
        >
          <ul class="list-column siem-endpoints" aria-label="Alert channels">
            <For each={page().data}>{(c) => <AlertChannelRow channel={c} />}</For>
          </ul>
        </Show>
      )}
    </Show>
  );
};

/** Where alerts go: Slack, PagerDuty, Google Chat or a signed webhook, routed by severity. */
export const AlertChannelsSection: Component = () => {
  const created = useSubmission(createAlertChannel);
  return (
    <section class="card" aria-labelledby="alert-channels-title">
      <h2 id="alert-channels-title">Alert channels</h2>
      <p class="muted">
        Each channel is sent the alerts at or above its severity, and told when they resolve. Failed
        deliveries are retried with backoff; the last status and error show here.
      </p>
      <AlertChannelForm />
      <Show when={created.result?.signing_secret}>
        {(secret) => (
          <section class="notice success" aria-label="Webhook signing secret">
            <div class="notice-head">
              <h3>Channel {created.result?.name} added</h3>
              <button type="button" class="button small ghost" onClick={() => created.clear()}>
                Done
              </button>
            </div>
            <p>
              Copy the signing secret now: it won’t be shown again. Each request carries an HMAC-SHA256
              signature made with it (docs/alerts.md, Channels).
            </p>
            <div class="secret">
              <code data-testid="alert-channel-secret">{secret()}</code>
              <CopyButton text={secret()} label="Copy secret" />
            </div>
          </section>
        )}
      </Show>
      <h3 class="subhead">Channels</h3>
      <Suspense fallback={<SkeletonRows rows={2} />}>
        <Channels />
      </Suspense>
    </section>
  );
};
