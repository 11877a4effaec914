/**
 * Semantic conventions for AI spans: the OpenTelemetry GenAI conventions (`gen_ai.*`, including
 * their deprecated names) and OpenInference. Every value mapped onto a field is taken from the
 * reader, so the caller's remaining attributes hold only what no field covers.
 */
import type { IngestSpan } from "../schemas";
import {
  AttributeReader,
  asAmount,
  asCount,
  asPresent,
  asText,
  clip,
  parseJsonish,
  toObject,
} from "./attributes";
import type { OtlpEvent, OtlpSpan } from "./types";

type SpanType = IngestSpan["type"];
type Payloads = { input?: unknown; output?: unknown };
/** Flattened message keys (`<prefix><index>.<field>`), matched by `pattern`. */
type IndexedKeys = { prefix: string; pattern: RegExp };
export type SemconvFields = Pick<
  IngestSpan,
  "type" | "status" | "error" | "input" | "output" | "model" | "provider" | "usage" | "tool"
>;

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
    indexed: { prefix: "gen_ai.prompt.", pattern: /^gen_ai\.prompt\.(\d+)\.(.+)$/ },
    event: "gen_ai.content.prompt",
  },
  output: {
    value: "output.value",
    mime: "output.mime_type",
    messages: "gen_ai.output.messages",
    legacy: "gen_ai.completion",
    indexed: { prefix: "gen_ai.completion.", pattern: /^gen_ai\.completion\.(\d+)\.(.+)$/ },
    event: "gen_ai.content.completion",
  },
};

export function readSemconvFields(span: OtlpSpan, attrs: AttributeReader): SemconvFields {
  const type = spanType(attrs);
  const payloads: Payloads = {
    input: readPayload(attrs, span.events, "input"),
    output: readPayload(attrs, span.events, "output"),
  };
  const { status, error } = readStatus(span, attrs);
  return {
    type,
    status,
    error,
    input: payloads.input,
    output: payloads.output,
    model: clip(attrs.take(MODEL_KEYS, asText), 200),
    provider: clip(attrs.take(PROVIDER_KEYS, asText), 100),
    usage: readUsage(attrs),
    tool: readTool(attrs, type, span.name, payloads),
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
  return indexedMessages(attrs, keys.indexed) ?? eventPayload(events, keys.event, keys.legacy);
}

/** Older instrumentations flatten messages: `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`. */
function indexedMessages(attrs: AttributeReader, indexed: IndexedKeys): unknown[] | undefined {
  const byIndex = new Map<number, [string, unknown][]>();
  for (const [match, value] of attrs.takeMatching(indexed.prefix, indexed.pattern)) {
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
