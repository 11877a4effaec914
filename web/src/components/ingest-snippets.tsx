import { type Component, createSignal, For, Show } from "solid-js";
import { CopyButton } from "./copy-button";

type Target = { origin: string; apiKey: string };
type Snippet = { id: string; label: string; code: (t: Target) => string };

/** A minimal batch: one trace and one LLM span, timed from when the snippet is shown. */
function sampleBatch(now = Date.now()) {
  const at = (ms: number) => JSON.stringify(new Date(now + ms).toISOString());
  return `{
    "traces": [{
      "id": "trace-001", "agent": "support-bot",
      "started_at": ${at(0)}
    }],
    "spans": [{
      "id": "span-001", "trace_id": "trace-001", "type": "llm",
      "name": "chat gpt-4o", "model": "gpt-4o",
      "started_at": ${at(0)}, "ended_at": ${at(1200)}
    }]
  }`;
}

const snippets: readonly Snippet[] = [
  {
    id: "curl",
    label: "curl",
    code: (t) => `curl -X POST ${t.origin}/api/v1/traces/ingest \\
  -H "Authorization: Bearer ${t.apiKey}" \\
  -H "Content-Type: application/json" \\
  -d '${sampleBatch()}'`,
  },
  {
    id: "node",
    label: "Node.js (OpenTelemetry)",
    code: (
      t,
    ) => `// npm install @opentelemetry/api @opentelemetry/sdk-trace @opentelemetry/resources @opentelemetry/exporter-trace-otlp-proto
import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

const exporter = new OTLPTraceExporter({
  url: "${t.origin}/v1/traces",
  headers: { Authorization: "Bearer ${t.apiKey}" },
});

const provider = new TracerProvider({
  // service.name is shown as the agent
  resource: resourceFromAttributes({ "service.name": "support-bot" }),
  spanProcessors: [new BatchSpanProcessor({ exporter })],
});
trace.setGlobalTracerProvider(provider);`,
  },
  {
    id: "python",
    label: "Python (OpenTelemetry)",
    code: (t) => `# pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

exporter = OTLPSpanExporter(
    endpoint="${t.origin}/v1/traces",
    headers={"Authorization": "Bearer ${t.apiKey}"},
)
# service.name is shown as the agent
provider = TracerProvider(resource=Resource.create({"service.name": "support-bot"}))
provider.add_span_processor(BatchSpanProcessor(exporter))
trace.set_tracer_provider(provider)`,
  },
];

const PLACEHOLDER_KEY = "YOUR_API_KEY";

/** Copy-ready ways to send traces, with this deployment's origin and (when just created) the key. */
export const IngestSnippets: Component<{ apiKey?: string }> = (props) => {
  const [selected, setSelected] = createSignal(snippets[0]);
  const code = () =>
    selected().code({ origin: window.location.origin, apiKey: props.apiKey ?? PLACEHOLDER_KEY });
  return (
    <div class="snippets">
      <div class="tabs" role="tablist" aria-label="Ingest examples">
        <For each={snippets}>
          {(snippet) => (
            <button
              type="button"
              role="tab"
              id={`snippet-tab-${snippet.id}`}
              aria-selected={selected() === snippet}
              aria-controls="snippet-panel"
              class="tab"
              onClick={() => setSelected(snippet)}
            >
              {snippet.label}
            </button>
          )}
        </For>
      </div>
      <div
        class="code-block"
        role="tabpanel"
        id="snippet-panel"
        aria-labelledby={`snippet-tab-${selected().id}`}
      >
        <CopyButton text={code()} />
        <pre>
          <code data-testid="snippet">{code()}</code>
        </pre>
      </div>
      <Show
        when={props.apiKey}
        fallback={<p class="hint">Create a key above and it is filled in here while it is shown.</p>}
      >
        <p class="hint">Filled in with your new key. Keep it out of source control.</p>
      </Show>
    </div>
  );
};
