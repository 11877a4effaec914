import { useSubmission } from "@solidjs/router";
import { type Component, Show, Suspense } from "solid-js";
import { createApiKey } from "../../api/api-keys";
import { isAdmin, type Role } from "../../api/users";
import { ApiKeyForm } from "../api-key-form";
import { ApiKeyList } from "../api-key-list";
import { NewKeyNotice } from "../new-key-notice";
import { SkeletonRows } from "./skeleton-rows";

export const ApiKeysSection: Component<{ role: Role }> = (props) => {
  const created = useSubmission(createApiKey);
  return (
    <section class="card" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p class="muted">
        Agents authenticate with a key sent as a Bearer token.{" "}
        {isAdmin(props.role) ? "You see every key in the workspace." : "You see the keys you created."}
      </p>
      <ApiKeyForm role={props.role} />
      <Show when={created.result}>
        {(apiKey) => <NewKeyNotice apiKey={apiKey()} onDismiss={() => created.clear()} />}
      </Show>
      <Suspense fallback={<SkeletonRows rows={3} />}>
        <ApiKeyList />
      </Suspense>
    </section>
  );
};
