import { type Component, createSignal, For, Show } from "solid-js";
import { CopyButton } from "./copy-button";

type Target = { origin: string; apiKey: string };
type Snippet = { id: string; label: string; code: (t: Target) => string };

/**
 * A whole run, timed from when the snippet is shown: the agent's root span, the LLM call that
 * picks a tool (model, provider, tokens, cost), the tool call, and the LLM call that answers. The
 * trace has an end, so it opens as finished rather than running.
 */
function sampleBatch(now = Date.now()) {
  const at = (ms: number) => JSON.stringify(new Date(now + ms).toISOString());
  return `{
    "traces": [{
      "id": "trace-001", "agent": "support-bot", "name": "Where is my order?",
      "started_at": ${at(0)}, "ended_at": ${at(2600)}, "status": "ok",
      "input": "Where is order 1042?"
    }],
    "spans": [{
      "id": "span-agent", "trace_id": "trace-001", "type": "agent",
      "name": "support-bot", "status": "ok",
      "started_at": ${at(0)}, "ended_at": ${at(2600)}
    }, {
      "id": "span-plan", "trace_id": "trace-001", "parent_id": "span-agent", "type": "llm",
      "name": "chat gpt-4o", "model": "gpt-4o", "provider": "openai", "status": "ok",
      "started_at": ${at(50)}, "ended_at": ${at(950)},
      "input": [{ "role": "user", "content": "Where is order 1042?" }],
      "output": "Calling lookup_order for 1042.",
      "usage": { "input_tokens": 412, "output_tokens": 38, "cost_usd": 0.00141 }
    }, {
      "id": "span-tool", "trace_id": "trace-001", "parent_id": "span-agent", "type": "tool",
      "name": "lookup_order", "status": "ok",
      "started_at": ${at(1000)}, "ended_at": ${at(1300)},
      "tool": { "name": "lookup_order", "arguments": { "order_id": "1042" },
                "result": { "status": "shipped", "eta": "Thursday" } }
    }, {
      "id": "span-answer", "trace_id": "trace-001", "parent_id": "span-agent", "type": "llm",
      "name": "chat gpt-4o", "model": "gpt-4o", "provider": "openai", "status": "ok",
      "started_at": ${at(1350)}, "ended_at": ${at(2550)},
      "output": "Order 1042 has shipped and arrives Thursday.",
      "usage": { "input_tokens": 486, "output_tokens": 24, "cost_usd": 0.00146 }
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
// Save as send-trace.mjs and run: node send-trace.mjs
import { context, trace } from "@opentelemetry/api";
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
trace.setGlobalTracerProvider(provider);

// One run, with GenAI semantic conventions: the agent, an LLM call, a tool call.
const tracer = provider.getTracer("support-bot");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const agent = tracer.startSpan("Where is my order?", {
  attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-bot" },
});
const inAgent = trace.setSpan(context.active(), agent);

const llm = tracer.startSpan("chat gpt-4o", {}, inAgent);
await sleep(300);
llm.setAttributes({
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-4o",
  "gen_ai.usage.input_tokens": 412,
  "gen_ai.usage.output_tokens": 38,
  "gen_ai.usage.cost": 0.00141,
});
llm.end();

const tool = tracer.startSpan("lookup_order", {}, inAgent);
await sleep(100);
tool.setAttributes({
  "gen_ai.operation.name": "execute_tool",
  "gen_ai.tool.name": "lookup_order",
  "gen_ai.tool.call.arguments": JSON.stringify({ order_id: "1042" }),
  "gen_ai.tool.call.result": JSON.stringify({ status: "shipped", eta: "Thursday" }),
});
tool.end();

agent.end();
await provider.shutdown(); // flushes the batch before the process exits`,
  },
  {
    id: "python",
    label: "Python (OpenTelemetry)",
    code: (t) => `# pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http
# Save as send_trace.py and run: python send_trace.py
import json
import time

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
trace.set_tracer_provider(provider)

# One run, with GenAI semantic conventions: the agent, an LLM call, a tool call.
tracer = trace.get_tracer("support-bot")
with tracer.start_as_current_span("Where is my order?") as agent:
    agent.set_attributes({"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-bot"})
    with tracer.start_as_current_span("chat gpt-4o") as llm:
        time.sleep(0.3)
        llm.set_attributes({
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.usage.input_tokens": 412,
            "gen_ai.usage.output_tokens": 38,
            "gen_ai.usage.cost": 0.00141,
        })
    with tracer.start_as_current_span("lookup_order") as tool:
        time.sleep(0.1)
        tool.set_attributes({
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "lookup_order",
            "gen_ai.tool.call.arguments": json.dumps({"order_id": "1042"}),
            "gen_ai.tool.call.result": json.dumps({"status": "shipped", "eta": "Thursday"}),
        })
provider.shutdown()  # flushes the batch before the process exits`,
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
