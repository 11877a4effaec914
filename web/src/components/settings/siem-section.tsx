import { createAsync, revalidate, useSubmission } from "@solidjs/router";
import { type Component, For, onCleanup, Show, Suspense } from "solid-js";
import { createSiemEndpoint, listSiemEndpoints } from "../../api/audit-siem";
import { SiemEndpointRow } from "./siem-endpoint-row";
import { SiemForm } from "./siem-form";
import { SiemSecretNotice } from "./siem-secret-notice";
import { SkeletonRows } from "./skeleton-rows";

const REFRESH_MS = 10_000;

const Endpoints: Component = () => {
  const list = createAsync(() => listSiemEndpoints());
  // Lag and errors move on their own while deliveries run.
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") void revalidate(listSiemEndpoints.key);
  }, REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  return (
    <Show when={list()}>
      {(page) => (
        <Show
          when={page().data.length > 0}
          fallback={
            <p class="empty">
              No endpoints yet. Add one above and every audit event is delivered to it in order, signed, with
              retries while it is down.
            </p>
          }
        >
          <ul class="list-column siem-endpoints" aria-label="SIEM endpoints">
            <For each={page().data}>{(e) => <SiemEndpointRow endpoint={e} />}</For>
          </ul>
        </Show>
      )}
    </Show>
  );
};

/** Streaming the audit log to the tenant's SIEM: endpoints, their health, and their secrets. */
export const SiemSection: Component = () => {
  const created = useSubmission(createSiemEndpoint);
  return (
    <section class="card" aria-labelledby="siem-title">
      <h2 id="siem-title">SIEM streaming</h2>
      <p class="muted">
        Send every audit event to your SIEM as it is recorded: HTTPS POSTs in log order, signed with
        HMAC-SHA256, retried with backoff while your endpoint is down. Lag is how many events wait to be
        delivered.
      </p>
      <SiemForm />
      <Show when={created.result}>
        {(e) => (
          <SiemSecretNotice
            title={`Endpoint ${e().name} added`}
            secret={e().secret}
            onDismiss={() => created.clear()}
          />
        )}
      </Show>
      <h3 class="subhead">Endpoints</h3>
      <Suspense fallback={<SkeletonRows rows={2} />}>
        <Endpoints />
      </Suspense>
    </section>
  );
};
