/**
 * OTLP spans onto the native ingest model. Span types, model, tokens, tools and payloads come
 * from the OpenTelemetry GenAI semantic conventions (`gen_ai.*`) or OpenInference; whatever is
 * not mapped onto a field stays in `attributes`. Bad spans are counted, not fatal, so the route
 * can answer with OTLP partial success.
 */
import { EVENT_TIME_TEXT, isEventTime } from "../../lib/time";
import type { IngestBatch, IngestSpan, IngestTrace } from "../schemas";
import { AttributeReader, asText, capEntries, clip } from "./attributes";
import { readSemconvFields } from "./semconv";
import type { KeyValue, OtlpScope, OtlpSpan, OtlpTraceRequest } from "./types";

export type OtlpMapResult = { batch: IngestBatch; rejected: number; errors: string[] };

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
const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];
const TRACE_ID_LENGTH = 32;
const SPAN_ID_LENGTH = 16;
const DIGITS = /^\d+$/;

export function mapOtlpToBatch(req: OtlpTraceRequest): OtlpMapResult {
  const spans: IngestSpan[] = [];
  const traces = new Map<string, IngestTrace>();
  const problems = new Map<string, number>();
  for (const resourceSpans of req.resourceSpans) {
    const resource = readResource(resourceSpans.resource.attributes);
    for (const { scope, spans: otlpSpans } of resourceSpans.scopeSpans) {
      for (const otlpSpan of otlpSpans) {
        const startedAt = nanosToMs(otlpSpan.startTimeUnixNano);
        const problem = findProblem(otlpSpan, startedAt, nanosToMs(otlpSpan.endTimeUnixNano));
        if (problem) {
          problems.set(problem, (problems.get(problem) ?? 0) + 1);
          continue;
        }
        // findProblem rejected spans without a start time.
        const span = mapSpan(otlpSpan, scope, startedAt ?? 0);
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

function findProblem(span: OtlpSpan, startedAt?: number, endedAt?: number): string | undefined {
  if (!isValidId(span.traceId, TRACE_ID_LENGTH)) return "traceId must be 32 hex characters, not all zero";
  if (!isValidId(span.spanId, SPAN_ID_LENGTH)) return "spanId must be 16 hex characters, not all zero";
  if (!isRoot(span) && !isHex(span.parentSpanId, SPAN_ID_LENGTH)) {
    return "parentSpanId must be empty or 16 hex characters";
  }
  if (!span.name) return "name is required";
  if (startedAt === undefined) return "startTimeUnixNano is required";
  if (!isEventTime(startedAt)) return `startTimeUnixNano must be within ${EVENT_TIME_TEXT}`;
  if (endedAt !== undefined && !isEventTime(endedAt)) {
    return `endTimeUnixNano must be within ${EVENT_TIME_TEXT}`;
  }
  return undefined;
}

/** `length` hex digits (either case), not all zero. */
function isValidId(id: string, length: number): boolean {
  return isHex(id, length) && !isAllZero(id);
}

function isHex(text: string, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 0x20;
    if (!((c >= 48 && c <= 57) || (lower >= 97 && lower <= 102))) return false;
  }
  return true;
}

function isAllZero(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 48) return false;
  }
  return text.length > 0;
}

function isRoot(span: OtlpSpan): boolean {
  return span.parentSpanId === "" || isAllZero(span.parentSpanId);
}

/**
 * Nanoseconds (decimal string) to epoch ms; 0 or garbage means "not set". Dropping the last six
 * digits is the integer division, without BigInt.
 */
function nanosToMs(nanos: string): number | undefined {
  if (!DIGITS.test(nanos)) return undefined;
  const ms = nanos.length > 6 ? Number(nanos.slice(0, -6)) : 0;
  return ms > 0 ? ms : undefined;
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

/** Fields are listed one by one (no spread of the semconv fields): this runs once per span. */
function mapSpan(span: OtlpSpan, scope: OtlpScope, startedAt: number): IngestSpan {
  const attrs = new AttributeReader(span.attributes);
  const fields = readSemconvFields(span, attrs);
  return {
    id: span.spanId.toLowerCase(),
    trace_id: span.traceId.toLowerCase(),
    parent_id: isRoot(span) ? null : span.parentSpanId.toLowerCase(),
    name: clip(span.name, 500),
    started_at: startedAt,
    ended_at: nanosToMs(span.endTimeUnixNano),
    type: fields.type,
    status: fields.status,
    error: fields.error,
    input: fields.input,
    output: fields.output,
    model: fields.model,
    provider: fields.provider,
    usage: fields.usage,
    tool: fields.tool,
    // After readSemconvFields: only attributes it did not map remain.
    attributes: spanAttributes(attrs, span, scope),
  };
}

/** `otel.*` entries first; an attribute of the same name as one of them is dropped. */
function spanAttributes(attrs: AttributeReader, span: OtlpSpan, scope: OtlpScope) {
  const entries: [string, unknown][] = [["otel.kind", SPAN_KINDS[span.kind] ?? "unspecified"]];
  if (scope.name) entries.push(["otel.scope.name", scope.name]);
  if (scope.version) entries.push(["otel.scope.version", scope.version]);
  const ours = entries.length;
  for (const entry of attrs.rest()) {
    if (!hasKey(entries, ours, entry[0])) entries.push(entry);
  }
  return capEntries(entries, MAX_ATTRIBUTE_KEYS);
}

function hasKey(entries: [string, unknown][], count: number, key: string): boolean {
  for (let i = 0; i < count; i++) {
    if (entries[i][0] === key) return true;
  }
  return false;
}
