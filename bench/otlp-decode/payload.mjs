// A realistic OTLP/protobuf request made by the real OpenTelemetry SDK and serializer: 25 traces of
// 20 spans (invoke_agent root, alternating chat and execute_tool children) with GenAI attributes.
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

export const SPANS = 500;
const PER_TRACE = 20;
const WORDS = "the order was shipped to customer after payment cleared and refund policy applies".split(" ");

let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const sentence = (n) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
const messages = (role) => JSON.stringify([{ role, parts: [{ type: "text", content: sentence(40) }] }]); // ~300 bytes

function chat() {
  return {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "gen_ai.request.temperature": 0.2,
    "gen_ai.usage.input_tokens": 200 + Math.floor(rand() * 3000),
    "gen_ai.usage.output_tokens": 20 + Math.floor(rand() * 500),
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.input.messages": messages("user"),
    "gen_ai.output.messages": messages("assistant"),
    "http.route": "/v1/chat",
  };
}

function tool() {
  return {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "search_web",
    "gen_ai.tool.type": "function",
    "gen_ai.tool.call.id": `call_${Math.floor(rand() * 1e7)}`,
    "gen_ai.tool.call.arguments": JSON.stringify({ query: sentence(8), limit: 5 }),
    "gen_ai.tool.call.result": JSON.stringify({ hits: [sentence(10), sentence(10)] }),
  };
}

export async function buildPayload() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "support-bot", "service.version": "1.4.2" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("bench-genai", "0.3.0");
  for (let t = 0; t < SPANS / PER_TRACE; t++) {
    const root = tracer.startSpan("invoke_agent support", {
      kind: SpanKind.SERVER,
      attributes: { "gen_ai.operation.name": "invoke_agent", "user.id": `u${t}`, "session.id": `s${t}` },
    });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    for (let i = 1; i < PER_TRACE; i++) {
      const attributes = i % 2 ? chat() : tool();
      tracer.startSpan(i % 2 ? "chat gpt-4o-mini" : "execute_tool search_web", { attributes }, ctx).end();
    }
    root.end();
  }
  await provider.forceFlush();
  return ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans());
}
