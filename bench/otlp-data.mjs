// OTLP/protobuf request bodies made by the real OpenTelemetry SDK and serializer, with GenAI
// semantic-convention attributes: invoke_agent roots, chat spans with models and token usage,
// execute_tool spans with arguments and results.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { AGENTS, rng, sentence } from "./data.mjs";

const MODELS = ["gpt-4o-mini", "gpt-4o-mini", "gpt-4o", "gpt-4.1-mini"];
const TOOLS = ["search_web", "get_order", "sql_query", "send_email", "read_file"];
const pick = (r, list) => list[Math.floor(r() * list.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));

const exporter = new InMemorySpanExporter();
const tracers = new Map(); // one provider per agent: service.name is the agent

function tracerFor(agent) {
  if (!tracers.has(agent)) {
    const provider = new TracerProvider({
      resource: resourceFromAttributes({
        "service.name": agent,
        "service.version": "1.4.2",
        "deployment.environment": "prod",
      }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    tracers.set(agent, provider.getTracer("bench-genai-instrumentation", "0.3.0"));
  }
  return tracers.get(agent);
}

function chatAttributes(r) {
  const model = pick(r, MODELS);
  return {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": model,
    "gen_ai.response.model": `${model}-2024-07-18`,
    "gen_ai.request.temperature": 0.2,
    "gen_ai.request.max_tokens": 1024,
    "gen_ai.usage.input_tokens": int(r, 200, 4000),
    "gen_ai.usage.output_tokens": int(r, 20, 600),
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.input.messages": JSON.stringify([
      { role: "user", parts: [{ type: "text", content: sentence(r, 18) }] },
    ]),
    "gen_ai.output.messages": JSON.stringify([
      { role: "assistant", parts: [{ type: "text", content: sentence(r, 20) }] },
    ]),
  };
}

function toolAttributes(r) {
  return {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": pick(r, TOOLS),
    "gen_ai.tool.type": "function",
    "gen_ai.tool.call.id": `call_${int(r, 1e6, 9e6)}`,
    "gen_ai.tool.call.arguments": JSON.stringify({ query: sentence(r, 8), limit: int(r, 1, 20) }),
    "gen_ai.tool.call.result": JSON.stringify({ rows: int(r, 0, 20), text: sentence(r, 12) }),
  };
}

/** One trace of `spanCount` spans: invoke_agent root, then chat → tool → tool rounds. */
function recordTrace(r, startMs, spanCount) {
  const agent = pick(r, AGENTS);
  const tracer = tracerFor(agent);
  const rootAttrs = {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.name": agent,
    "input.value": sentence(r, 30),
  };
  const root = tracer.startSpan(`invoke_agent ${agent}`, {
    kind: SpanKind.SERVER,
    startTime: startMs,
    attributes: rootAttrs,
  });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  let at = startMs + 5;
  for (let i = 1; i < spanCount; i++) {
    const isChat = i % 3 === 1;
    const attributes = isChat ? chatAttributes(r) : toolAttributes(r);
    const name = isChat
      ? `chat ${attributes["gen_ai.request.model"]}`
      : `execute_tool ${attributes["gen_ai.tool.name"]}`;
    const span = tracer.startSpan(
      name,
      { kind: isChat ? SpanKind.CLIENT : SpanKind.INTERNAL, startTime: at, attributes },
      ctx,
    );
    const failed = !isChat && r() < 0.02;
    span.setStatus(
      failed ? { code: SpanStatusCode.ERROR, message: "tool timed out" } : { code: SpanStatusCode.OK },
    );
    at += isChat ? int(r, 300, 3000) : int(r, 20, 800);
    span.end(at);
    at += 5;
  }
  root.setStatus({ code: SpanStatusCode.OK });
  root.end(at);
}

/**
 * args: { seed, traces, spansPerTrace, startMs, spreadMs, zeroTraceIds? }. zeroTraceIds makes
 * every span invalid, so the server decodes the request but stores nothing (profile.mjs).
 */
export function otlpBody(args, index) {
  const r = rng(args.seed * 1_000_003 + index);
  for (let t = 0; t < args.traces; t++) {
    recordTrace(r, args.startMs + Math.floor(r() * args.spreadMs), args.spansPerTrace);
  }
  const spans = exporter.getFinishedSpans();
  exporter.reset();
  if (args.zeroTraceIds) for (const s of spans) s.spanContext().traceId = "0".repeat(32);
  return { body: ProtobufTraceSerializer.serializeRequest(spans), spans: spans.length };
}
