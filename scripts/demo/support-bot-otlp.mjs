// A support bot instrumented with the OpenTelemetry SDK and the stock OTLP/protobuf exporter,
// using GenAI semantic-convention attributes (plus one OpenInference span).

import {
  DiagConsoleLogger,
  DiagLogLevel,
  diag,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { between, MINUTE, shortId } from "./tree.mjs";

export const AGENT = "support-bot";

const CONVERSATIONS = [
  {
    user: "cust_8812",
    question: "Where is my order #48213? It was supposed to arrive yesterday.",
    steps: [
      classify("order_status"),
      executeTool(
        "lookup_order",
        { order_id: "48213" },
        { status: "in_transit", carrier: "UPS", eta: "tomorrow" },
      ),
      answer("Your order #48213 is with UPS and due tomorrow. Sorry for the delay!"),
    ],
  },
  {
    user: "cust_1290",
    question: "How do I reset two-factor authentication? I lost my phone.",
    steps: [
      classify("account_help"),
      openInferenceTool("search_kb", "reset two-factor authentication lost phone", [
        { id: "kb-311", title: "Recover access without your 2FA device", score: 0.92 },
        { id: "kb-118", title: "Using backup codes", score: 0.81 },
      ]),
      answer("Use one of your backup codes to sign in, then go to Settings → Security → Reset 2FA."),
    ],
  },
  {
    user: "cust_4410",
    question: "I want a refund for order #47001, the item arrived broken.",
    steps: [
      classify("refund"),
      executeTool("issue_refund", { order_id: "47001", reason: "damaged" }, null, {
        type: "PaymentGatewayError",
        message: "refund declined: original charge is older than 90 days",
      }),
      answer("I couldn't process the refund automatically, so I've passed your case to our support team."),
    ],
  },
];

/** Exports the conversations through the real OTLP exporter; throws if an export failed. */
export async function sendSupportBotTraces({ baseUrl, apiKey, now }) {
  // The SDK only reports export problems (and OTLP partial success) through its diag logger.
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  const exporter = recordingExporter(
    new OTLPTraceExporter({ url: `${baseUrl}/v1/traces`, headers: { Authorization: `Bearer ${apiKey}` } }),
  );
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": AGENT,
      "service.version": "2.3.1",
      "deployment.environment.name": "demo",
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("support-bot", "2.3.1");
  for (const [i, c] of CONVERSATIONS.entries()) recordConversation(tracer, c, now - (40 - i * 13) * MINUTE);
  await provider.forceFlush();
  await provider.shutdown();
  const failed = exporter.results.find((r) => r.code !== 0);
  if (failed)
    throw new Error(
      `OTLP export to ${baseUrl}/v1/traces failed: ${failed.error?.message ?? "unknown error"}`,
    );
  return { traces: CONVERSATIONS.length, requests: exporter.results.length };
}

function recordingExporter(inner) {
  const results = [];
  return {
    results,
    export: (spans, done) =>
      inner.export(spans, (result) => {
        results.push(result);
        done(result);
      }),
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}

function recordConversation(tracer, conversation, startMs) {
  const userMessage = [{ role: "user", parts: [{ type: "text", content: conversation.question }] }];
  const root = tracer.startSpan(
    `invoke_agent ${AGENT}`,
    {
      kind: SpanKind.SERVER,
      startTime: startMs,
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": AGENT,
        "gen_ai.conversation.id": `conv-${shortId()}`,
        "user.id": conversation.user,
        "gen_ai.input.messages": JSON.stringify(userMessage),
      },
    },
    ROOT_CONTEXT,
  );
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  let t = startMs + between(5, 20);
  let failed = false;
  for (const s of conversation.steps) {
    const span = tracer.startSpan(
      s.name,
      { kind: s.kind, startTime: t, attributes: s.attributes(conversation) },
      parent,
    );
    t += s.ms;
    if (s.error) {
      span.recordException({ name: s.error.type, message: s.error.message }, t);
      span.setStatus({ code: SpanStatusCode.ERROR, message: s.error.message });
      failed = true;
    } else {
      span.setStatus({ code: SpanStatusCode.OK });
    }
    span.end(t);
    t += between(5, 40);
  }
  const reply = conversation.steps.at(-1).reply;
  root.setAttribute("gen_ai.output.messages", JSON.stringify([assistantMessage(reply)]));
  // A failed tool call left to the server: the trace shows up as error through its span.
  if (!failed) root.setStatus({ code: SpanStatusCode.OK });
  root.end(t);
}

function assistantMessage(text) {
  return { role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "stop" };
}

function chatAttributes({ model, provider, input, output, inputTokens, outputTokens }) {
  return {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": provider,
    "gen_ai.request.model": model,
    "gen_ai.request.temperature": 0.2,
    "gen_ai.response.id": `chatcmpl-${shortId()}`,
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.usage.input_tokens": inputTokens,
    "gen_ai.usage.output_tokens": outputTokens,
    "gen_ai.input.messages": JSON.stringify(input),
    "gen_ai.output.messages": JSON.stringify([assistantMessage(output)]),
  };
}

function classify(intent) {
  return {
    name: "chat gpt-4o-mini",
    kind: SpanKind.CLIENT,
    ms: between(400, 1100),
    attributes: (c) =>
      chatAttributes({
        model: "gpt-4o-mini",
        provider: "openai",
        input: [
          { role: "system", parts: [{ type: "text", content: "Classify the customer's intent." }] },
          { role: "user", parts: [{ type: "text", content: c.question }] },
        ],
        output: JSON.stringify({ intent }),
        inputTokens: between(90, 180),
        outputTokens: between(6, 14),
      }),
  };
}

function executeTool(name, args, result, error) {
  return {
    name: `execute_tool ${name}`,
    kind: SpanKind.INTERNAL,
    ms: between(150, 900),
    error,
    attributes: () => ({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": name,
      "gen_ai.tool.call.id": `call_${shortId()}`,
      "gen_ai.tool.call.arguments": JSON.stringify(args),
      ...(result ? { "gen_ai.tool.call.result": JSON.stringify(result) } : {}),
      ...(error ? { "error.type": error.type } : {}),
    }),
  };
}

/** The way OpenInference-instrumented libraries (LlamaIndex, Arize Phoenix) describe a tool call. */
function openInferenceTool(name, query, hits) {
  return {
    name,
    kind: SpanKind.INTERNAL,
    ms: between(80, 300),
    attributes: () => ({
      "openinference.span.kind": "TOOL",
      "tool.name": name,
      "tool.description": "Search the help-centre knowledge base",
      "input.value": JSON.stringify({ query, top_k: 2 }),
      "input.mime_type": "application/json",
      "output.value": JSON.stringify(hits),
      "output.mime_type": "application/json",
    }),
  };
}

function answer(reply) {
  return {
    name: "chat claude-sonnet-4-5",
    kind: SpanKind.CLIENT,
    ms: between(1200, 3200),
    reply,
    attributes: (c) =>
      chatAttributes({
        model: "claude-sonnet-4-5",
        provider: "anthropic",
        input: [{ role: "user", parts: [{ type: "text", content: c.question }] }],
        output: reply,
        inputTokens: between(600, 1500),
        outputTokens: between(40, 120),
      }),
  };
}
