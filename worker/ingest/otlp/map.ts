/**
 * OTLP spans onto the native ingest model. Span types, model, tokens, tools and payloads come
 * from the OpenTelemetry GenAI semantic conventions (`gen_ai.*`) or OpenInference; whatever is
 * not mapped onto a field stays in `attributes`. Bad spans are counted, not fatal, so the route
 * can answer with OTLP partial success.
 */
import type { IngestBatch, IngestSpan, IngestTrace } from "../schemas";
import {
  AttributeReader,
  asAmount,
  asCount,
  asPresent,
  asText,
  capEntries,
  parseJsonish,
  toObject,
} from "./attributes";
import type { KeyValue, OtlpEvent, OtlpScope, OtlpSpan, OtlpTraceRequest } from "./types";

export type OtlpMapResult = { batch: IngestBatch; rejected: number; errors: string[] };

type SpanType = IngestSpan["type"];
type Payloads = { input?: unknown; output?: unknown };
type ResourceContext = {
  agent: string;
  userId?: string;
  sessionId?: string;
  metadata?: Record<string, unknown>;
};

const MAX_METADATA_KEYS = 50;
const MAX_ATTRIBUTE_KEYS = 200;

const USER_KEYS = ["user.id", "enduser.id"];
const SESSION_KEYS = ["session.id", "gen_ai.conversation.id"];
const MODEL_KEYS = ["gen_ai.response.model", "gen_ai.request.model", "llm.model_name"];
const PROVIDER_KEYS = ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"];
const INPUT_TOKEN_KEYS = [
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.prompt_tokens",
  "llm.token_count.prompt",
];
const OUTPUT_TOKEN_KEYS = [
  "gen_ai.usage.output_tokens",
  "gen_ai.usage.completion_tokens",
  "llm.token_count.completion",
];
const COST_KEYS = ["gen_ai.usage.cost", "llm.cost.total"];
const TOOL_NAME_KEYS = ["gen_ai.tool.name", "tool.name"];

const OPERATION_TYPES = new Map<string, SpanType>([
  ["chat", "llm"],
  ["text_completion", "llm"],
  ["generate_content", "llm"],
  ["embeddings", "embedding"],
  ["execute_tool", "tool"],
  ["invoke_agent", "agent"],
  ["create_agent", "agent"],
]);

const OPENINFERENCE_TYPES = new Map<string, SpanType>([
  ["LLM", "llm"],
  ["TOOL", "tool"],
  ["CHAIN", "chain"],
  ["AGENT", "agent"],
  ["RETRIEVER", "retriever"],
  ["EMBEDDING", "embedding"],
  ["GUARDRAIL", "guardrail"],
  ["RERANKER", "retriever"],
]);

const PAYLOAD_KEYS = {
  input: {
    value: "input.value",
    mime: "input.mime_type",
    messages: "gen_ai.input.messages",
    legacy: "gen_ai.prompt",
    event: "gen_ai.content.prompt",
  },
  output: {
    value: "output.value",
    mime: "output.mime_type",
    messages: "gen_ai.output.messages",
    legacy: "gen_ai.completion",
    event: "gen_ai.content.completion",
  },
};

const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];
const TRACE_ID = /^[0-9a-f]{32}$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;
const ALL_ZERO = /^0+$/;

export function mapOtlpToBatch(req: OtlpTraceRequest): OtlpMapResult {
  const spans: IngestSpan[] = [];
  const traces = new Map<string, IngestTrace>();
  const problems = new Map<string, number>();
  for (const resourceSpans of req.resourceSpans) {
    const resource = readResource(resourceSpans.resource.attributes);
    for (const { scope, spans: otlpSpans } of resourceSpans.scopeSpans) {
      for (const otlpSpan of otlpSpans) {
        const problem = findProblem(otlpSpan);
        if (problem) {
          problems.set(problem, (problems.get(problem) ?? 0) + 1);
          continue;
        }
        const span = mapSpan(otlpSpan, scope);
        spans.push(span);
        if (span.parent_id === null) keepEarliest(traces, rootTrace(span, otlpSpan, resource));
      }
    }
  }
  const errors = [...problems].map(
    ([problem, n]) => `${n} ${n === 1 ? "span" : "spans"} rejected: ${problem}`,
  );
  const rejected = [...problems.values()].reduce((sum, n) => sum + n, 0);
  return { batch: { traces: [...traces.values()], spans }, rejected, errors };
}

/**
 * traceId → agent (`service.name`) for every span in the request, so a trace first seen through
 * its child spans is filed under the right agent until its root arrives.
 */
export function spanAgents(req: OtlpTraceRequest): Map<string, string> {
  const agents = new Map<string, string>();
  for (const { resource, scopeSpans } of req.resourceSpans) {
    const agent = agentOf(new AttributeReader(resource.attributes));
    for (const { spans } of scopeSpans) {
      for (const span of spans) {
        const traceId = span.traceId.toLowerCase();
        if (!agents.has(traceId)) agents.set(traceId, agent);
      }
    }
  }
  return agents;
}

function findProblem(span: OtlpSpan): string | undefined {
  if (!isValidId(span.traceId, TRACE_ID)) return "traceId must be 32 hex characters, not all zero";
  if (!isValidId(span.spanId, SPAN_ID)) return "spanId must be 16 hex characters, not all zero";
  if (!isRoot(span) && !SPAN_ID.test(span.parentSpanId)) {
    return "parentSpanId must be empty or 16 hex characters";
  }
  if (!span.name) return "name is required";
  if (nanosToMs(span.startTimeUnixNano) === undefined) return "startTimeUnixNano is required";
  return undefined;
}

function isValidId(id: string, pattern: RegExp): boolean {
  return pattern.test(id) && !ALL_ZERO.test(id);
}

function isRoot(span: OtlpSpan): boolean {
  return span.parentSpanId === "" || ALL_ZERO.test(span.parentSpanId);
}

/** Nanoseconds (decimal string) to epoch ms; 0 or garbage means "not set". */
function nanosToMs(nanos: string): number | undefined {
  if (!/^\d+$/.test(nanos)) return undefined;
  const ms = BigInt(nanos) / 1_000_000n;
  return ms > 0n ? Number(ms) : undefined;
}

function clip<T extends string | undefined>(text: T, max: number): T {
  return (text === undefined ? text : text.slice(0, max)) as T;
}

function asIdText(v: unknown): string | undefined {
  return typeof v === "number" ? String(v) : clip(asText(v), 200);
}

function agentOf(resource: AttributeReader): string {
  return clip(resource.take(["service.name"], asText) ?? "unknown_service", 200);
}

function readResource(list: KeyValue[]): ResourceContext {
  const attrs = new AttributeReader(list);
  const agent = agentOf(attrs);
  const userId = attrs.take(USER_KEYS, asIdText);
  const sessionId = attrs.take(SESSION_KEYS, asIdText);
  const rest = attrs.rest();
  const metadata = rest.length > 0 ? capEntries(rest, MAX_METADATA_KEYS) : undefined;
  return { agent, userId, sessionId, metadata };
}

function rootTrace(span: IngestSpan, otlpSpan: OtlpSpan, resource: ResourceContext): IngestTrace {
  const attrs = new AttributeReader(otlpSpan.attributes);
  return {
    id: span.trace_id,
    agent: resource.agent,
    name: span.name,
    started_at: span.started_at,
    ended_at: span.ended_at,
    status: span.status,
    input: span.input,
    output: span.output,
    user_id: attrs.peek(USER_KEYS, asIdText) ?? resource.userId,
    session_id: attrs.peek(SESSION_KEYS, asIdText) ?? resource.sessionId,
    metadata: resource.metadata && { ...resource.metadata },
  };
}

/** A trace whose root arrives twice in one batch keeps the earliest-starting root. */
function keepEarliest(traces: Map<string, IngestTrace>, trace: IngestTrace): void {
  const existing = traces.get(trace.id);
  if (!existing || trace.started_at < existing.started_at) traces.set(trace.id, trace);
}

function mapSpan(span: OtlpSpan, scope: OtlpScope): IngestSpan {
  const attrs = new AttributeReader(span.attributes);
  const type = spanType(attrs);
  const payloads = {
    input: readPayload(attrs, span.events, "input"),
    output: readPayload(attrs, span.events, "output"),
  };
  const status = readStatus(span, attrs);
  const model = clip(attrs.take(MODEL_KEYS, asText), 200);
  const provider = clip(attrs.take(PROVIDER_KEYS, asText), 100);
  const usage = readUsage(attrs);
  const tool = readTool(attrs, type, span.name, payloads);
  return {
    id: span.spanId.toLowerCase(),
    trace_id: span.traceId.toLowerCase(),
    parent_id: isRoot(span) ? null : span.parentSpanId.toLowerCase(),
    type,
    name: clip(span.name, 500),
    started_at: nanosToMs(span.startTimeUnixNano) ?? 0,
    ended_at: nanosToMs(span.endTimeUnixNano),
    ...status,
    ...payloads,
    model,
    provider,
    usage,
    tool,
    // Last: only attributes no field above has taken remain.
    attributes: spanAttributes(attrs, span, scope),
  };
}

function spanType(attrs: AttributeReader): SpanType {
  const operation = attrs.peek(["gen_ai.operation.name"], asText);
  const byOperation = operation === undefined ? undefined : OPERATION_TYPES.get(operation);
  if (byOperation) return byOperation;
  const kind = attrs.peek(["openinference.span.kind"], asText);
  if (kind) return OPENINFERENCE_TYPES.get(kind.toUpperCase()) ?? "other";
  if (attrs.has("gen_ai.request.model") || attrs.has("llm.model_name")) return "llm";
  if (attrs.has("gen_ai.tool.name")) return "tool";
  return "other";
}

function readPayload(attrs: AttributeReader, events: OtlpEvent[], side: "input" | "output"): unknown {
  const keys = PAYLOAD_KEYS[side];
  const mimeType = attrs.peek([keys.mime], asText);
  const value = attrs.take([keys.value], asPresent);
  if (value !== undefined) {
    attrs.take([keys.mime], asText);
    return parseJsonish(value, mimeType);
  }
  const messages = attrs.take([keys.messages, keys.legacy], asPresent);
  if (messages !== undefined) return parseJsonish(messages, "application/json");
  return indexedMessages(attrs, keys.legacy) ?? eventPayload(events, keys.event, keys.legacy);
}

/** Older instrumentations flatten messages: `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`. */
function indexedMessages(attrs: AttributeReader, prefix: string): unknown[] | undefined {
  const pattern = new RegExp(`^${prefix.replaceAll(".", "\\.")}\\.(\\d+)\\.(.+)$`);
  const byIndex = new Map<number, [string, unknown][]>();
  for (const [match, value] of attrs.takeMatching(pattern)) {
    const index = Number(match[1]);
    byIndex.set(index, [...(byIndex.get(index) ?? []), [match[2], value]]);
  }
  if (byIndex.size === 0) return undefined;
  return [...byIndex].sort(([a], [b]) => a - b).map(([, fields]) => Object.fromEntries(fields));
}

function eventPayload(events: OtlpEvent[], eventName: string, key: string): unknown {
  const event = events.find((e) => e.name === eventName);
  if (!event || event.attributes.length === 0) return undefined;
  const attrs = new AttributeReader(event.attributes);
  const value = attrs.peek([key], asPresent);
  return value === undefined ? toObject(event.attributes) : parseJsonish(value, "application/json");
}

function readStatus(span: OtlpSpan, attrs: AttributeReader): Pick<IngestSpan, "status" | "error"> {
  if (span.status.code === 1) return { status: "ok" };
  if (span.status.code !== 2) return { status: "unset" };
  const exception = span.events.find((e) => e.name === "exception");
  const details = new AttributeReader(exception?.attributes ?? []);
  const type = attrs.take(["error.type"], asText) ?? details.peek(["exception.type"], asText);
  const message = span.status.message || details.peek(["exception.message"], asText) || type || "";
  return { status: "error", error: { type: clip(type, 200), message: clip(message, 10_000) } };
}

function readUsage(attrs: AttributeReader): IngestSpan["usage"] {
  const usage = {
    input_tokens: attrs.take(INPUT_TOKEN_KEYS, asCount),
    output_tokens: attrs.take(OUTPUT_TOKEN_KEYS, asCount),
    cost_usd: attrs.take(COST_KEYS, asAmount),
  };
  return Object.values(usage).some((v) => v !== undefined) ? usage : undefined;
}

/**
 * OpenInference `tool.parameters` is the tool's JSON schema, not the call's arguments, so it
 * stays an attribute; a tool span's arguments and result fall back to its input and output.
 */
function readTool(
  attrs: AttributeReader,
  type: SpanType,
  spanName: string,
  payloads: Payloads,
): IngestSpan["tool"] {
  const name = attrs.take(TOOL_NAME_KEYS, asText);
  if (type !== "tool" && name === undefined) return undefined;
  const args = attrs.take(["gen_ai.tool.call.arguments"], asPresent);
  const result = attrs.take(["gen_ai.tool.call.result"], asPresent);
  const isTool = type === "tool";
  return {
    name: clip(name ?? spanName, 200),
    arguments: args !== undefined ? parseJsonish(args) : isTool ? payloads.input : undefined,
    result: result !== undefined ? parseJsonish(result) : isTool ? payloads.output : undefined,
  };
}

function spanAttributes(attrs: AttributeReader, span: OtlpSpan, scope: OtlpScope) {
  const otel: [string, unknown][] = [["otel.kind", SPAN_KINDS[span.kind] ?? "unspecified"]];
  if (scope.name) otel.push(["otel.scope.name", scope.name]);
  if (scope.version) otel.push(["otel.scope.version", scope.version]);
  const ours = new Set(otel.map(([key]) => key));
  const rest = attrs.rest().filter(([key]) => !ours.has(key));
  return capEntries([...otel, ...rest], MAX_ATTRIBUTE_KEYS);
}
