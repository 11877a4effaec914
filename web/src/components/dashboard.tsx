import { useSubmission } from "@solidjs/router";
import { type Component, Show } from "solid-js";
import { createApiKey } from "../api/api-keys";
import type { Session } from "../api/session";
import { ApiKeyForm } from "./api-key-form";
import { ApiKeyList } from "./api-key-list";
import { FirstTrace } from "./first-trace";
import { IngestSnippets } from "./ingest-snippets";
import { NewKeyNotice } from "./new-key-notice";

/** The signed-in home: the workspace, its API keys and how to start sending traces. */
export const Dashboard: Component<{ session: Session }> = (props) => {
  const created = useSubmission(createApiKey);
  return (
    <div class="dashboard">
      <header class="page-head">
        <p class="eyebrow">Workspace</p>
        <h1 data-testid="tenant-name">{props.session.tenant.name}</h1>
        <p class="muted">
          Signed in as {props.session.user.email} <span class="badge role">{props.session.user.role}</span>
        </p>
      </header>

      <section class="card" aria-labelledby="api-keys-title">
        <h2 id="api-keys-title">API keys</h2>
        <p class="muted">Agents authenticate with a key sent as a Bearer token.</p>
        <ApiKeyForm role={props.session.user.role} />
        <Show when={created.result}>
          {(apiKey) => <NewKeyNotice apiKey={apiKey()} onDismiss={() => created.clear()} />}
        </Show>
        <ApiKeyList />
      </section>

      <section class="card" aria-labelledby="send-title">
        <h2 id="send-title">Send your first trace</h2>
        <p class="muted">
          Use the native JSON API, or point any OpenTelemetry exporter at AuditTrail. GenAI semantic
          conventions are mapped for you.
        </p>
        <IngestSnippets apiKey={created.result?.key} />
        <FirstTrace />
      </section>

      <section class="card reference" aria-labelledby="reference-title">
        <div>
          <h2 id="reference-title">API reference</h2>
          <p class="muted">Every endpoint, with schemas and a console to try requests.</p>
        </div>
        <a class="button secondary" href="/api/docs" target="_blank" rel="noopener">
          Open API reference
        </a>
      </section>
    </div>
  );
};
