import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { type Attributes, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import {
  decodeExportTraceServiceRequest,
  OtlpDecodeError,
  OtlpJsonRequest,
  type OtlpTraceRequest,
} from "../../worker/ingest/otlp/decode";
import { mapOtlpToBatch, spanAgents } from "../../worker/ingest/otlp/map";

type SpanSpec = {
  name: string;
  attributes?: Attributes;
  kind?: SpanKind;
  error?: { message: string; exception?: Error };
  children?: SpanSpec[];
};

/** Runs the real SDK and returns its finished spans, as an exporter would receive them. */
async function record(root: SpanSpec, resource: Attributes = { "service.name": "support-bot" }) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("audittrail-test", "1.0.0");
  const emit = (spec: SpanSpec, parent = ROOT_CONTEXT) => {
    const span = tracer.startSpan(spec.name, { kind: spec.kind, attributes: spec.attributes }, parent);
    for (const child of spec.children ?? []) emit(child, trace.setSpan(ROOT_CONTEXT, span));
    if (spec.error?.exception) span.recordException(spec.error.exception);
    if (spec.error) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error.message });
    span.end();
  };
  emit(root);
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

function protobuf(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error("serializer returned nothing");
  return bytes;
}

function json(spans: ReadableSpan[]): unknown {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error("serializer returned nothing");
  return JSON.parse(new TextDecoder().decode(bytes));
}

async function mapped(root: SpanSpec, resource?: Attributes) {
  return mapOtlpToBatch(decodeExportTraceServiceRequest(protobuf(await record(root, resource))));
}

function spanNamed(result: ReturnType<typeof mapOtlpToBatch>, name: string) {
  const span = result.batch.spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span named ${name}`);
  return span;
}

const LEN = WireType.LengthDelimited;

/** A request whose one resource attribute is an AnyValue `levels` deep (arrays in arrays). */
function nestedAttributeRequest(levels: number): Uint8Array {
  let value = new BinaryWriter().tag(1, LEN).string("leaf").finish();
  for (let i = 1; i < levels; i++) {
    const array = new BinaryWriter().tag(1, LEN).bytes(value).finish();
    value = new BinaryWriter().tag(5, LEN).bytes(array).finish();
  }
  const keyValue = new BinaryWriter().tag(1, LEN).string("deep").tag(2, LEN).bytes(value).finish();
  const resource = new BinaryWriter().tag(1, LEN).bytes(keyValue).finish();
  const resourceSpans = new BinaryWriter().tag(1, LEN).bytes(resource).finish();
  return new BinaryWriter().tag(1, LEN).bytes(resourceSpans).finish();
}

function nestedJsonValue(levels: number): unknown {
  let value: unknown = { stringValue: "leaf" };
  for (let i = 1; i < levels; i++) value = { arrayValue: { values: [value] } };
  return value;
}

const agentRun: SpanSpec = {
  name: "agent.run",
  kind: SpanKind.SERVER,
  attributes: { "user.id": "u-42", "session.id": "s-7", "app.retries": 2, "app.ratio": 0.5 },
  children: [
    {
      name: "chat gpt-4o",
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 120,
        "gen_ai.usage.output_tokens": 45,
        "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "hi" }] }]),
        "gen_ai.request.temperature": 0.2,
      },
    },
    {
      name: "get_weather",
      attributes: {
        "openinference.span.kind": "TOOL",
        "tool.name": "get_weather",
        "tool.parameters": JSON.stringify({ type: "object", properties: { city: { type: "string" } } }),
        "input.value": JSON.stringify({ city: "Paris" }),
        "input.mime_type": "application/json",
        "output.value": "18°C, cloudy",
      },
    },
  ],
};

describe("OTLP decoding", () => {
  it("decodes protobuf to the same request as the OTLP/JSON encoding of the same spans", async () => {
    const spans = await record(agentRun, { "service.name": "support-bot", "tenant.tier": "pro" });
    const fromProtobuf = decodeExportTraceServiceRequest(protobuf(spans));
    const fromJson = OtlpJsonRequest.parse(json(spans));
    expect(fromProtobuf.resourceSpans[0].scopeSpans[0].spans).toHaveLength(3);
    expect(fromProtobuf).toEqual(fromJson);
  });

  it("keeps int64 attributes exact and ids as lowercase hex", async () => {
    const spans = await record({ name: "root", attributes: { big: 1234567890123 } });
    const req = decodeExportTraceServiceRequest(protobuf(spans));
    const span = req.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.attributes).toContainEqual({ key: "big", value: { intValue: "1234567890123" } });
  });

  it("accepts lenient OTLP/JSON: string int64, numeric times, enum names, unknown fields", () => {
    const req = OtlpJsonRequest.parse({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "5B8EFFF798038103D269B633813FC60C",
                  spanId: "EEE19B7EC3C1B174",
                  name: "root",
                  kind: "SPAN_KIND_SERVER",
                  startTimeUnixNano: 1_700_000_000_123_456_000,
                  endTimeUnixNano: "1700000000456789000",
                  attributes: [{ key: "n", value: { intValue: "7" } }],
                  status: { code: "STATUS_CODE_OK" },
                  somethingNew: true,
                },
              ],
            },
          ],
        },
      ],
    });
    const span = req.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span).toMatchObject({
      traceId: "5b8efff798038103d269b633813fc60c",
      kind: 2,
      startTimeUnixNano: "1700000000123456000",
      status: { code: 1, message: "" },
    });
    expect(span.attributes).toEqual([{ key: "n", value: { intValue: "7" } }]);
    const [mappedSpan] = mapOtlpToBatch(req).batch.spans;
    expect(mappedSpan).toMatchObject({ status: "ok", started_at: 1700000000123, ended_at: 1700000000456 });
  });

  it("reports the field path of invalid OTLP/JSON", () => {
    const result = OtlpJsonRequest.safeParse({
      resourceSpans: [{ scopeSpans: [{ spans: [{ name: "x", startTimeUnixNano: "soon" }] }] }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual([
      "resourceSpans",
      0,
      "scopeSpans",
      0,
      "spans",
      0,
      "startTimeUnixNano",
    ]);
  });

  it("throws OtlpDecodeError on malformed protobuf", async () => {
    const bytes = protobuf(await record(agentRun));
    const malformed = [
      bytes.subarray(0, bytes.length - 7),
      new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      new Uint8Array([0x08, 0x01]),
      new Uint8Array([0xff, 0xff, 0xff]),
    ];
    for (const body of malformed) {
      expect(() => decodeExportTraceServiceRequest(body)).toThrow(OtlpDecodeError);
    }
  });

  it("accepts AnyValue nesting up to 32 levels and refuses deeper", () => {
    expect(() => decodeExportTraceServiceRequest(nestedAttributeRequest(32))).not.toThrow();
    expect(() => decodeExportTraceServiceRequest(nestedAttributeRequest(33))).toThrow(
      /nested deeper than 32 levels/,
    );
    const jsonWith = (levels: number) => ({
      resourceSpans: [{ resource: { attributes: [{ key: "deep", value: nestedJsonValue(levels) }] } }],
    });
    expect(OtlpJsonRequest.safeParse(jsonWith(32)).success).toBe(true);
    expect(OtlpJsonRequest.safeParse(jsonWith(33)).success).toBe(false);
  });
});

describe("OTLP mapping", () => {
  it("maps a GenAI chat span to an llm span with model, provider and tokens", async () => {
    const result = await mapped(agentRun);
    const llm = spanNamed(result, "chat gpt-4o");
    expect(llm).toMatchObject({
      type: "llm",
      model: "gpt-4o-2024-08-06",
      provider: "openai",
      usage: { input_tokens: 120, output_tokens: 45 },
      input: [{ role: "user", parts: [{ type: "text", content: "hi" }] }],
    });
    expect(llm.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.request.temperature": 0.2,
      "otel.kind": "client",
      "otel.scope.name": "audittrail-test",
    });
    expect(llm.attributes).not.toHaveProperty("gen_ai.usage.input_tokens");
  });

  it("maps an OpenInference TOOL span to a tool call with parsed arguments", async () => {
    const tool = spanNamed(await mapped(agentRun), "get_weather");
    expect(tool).toMatchObject({
      type: "tool",
      input: { city: "Paris" },
      output: "18°C, cloudy",
      tool: { name: "get_weather", arguments: { city: "Paris" }, result: "18°C, cloudy" },
    });
    expect(tool.attributes).toHaveProperty("tool.parameters");
  });

  it("turns the root span into a trace filed under the resource's service.name", async () => {
    const result = await mapped(agentRun, {
      "service.name": "support-bot",
      "deployment.environment": "prod",
    });
    const root = spanNamed(result, "agent.run");
    expect(root.parent_id).toBeNull();
    expect(spanNamed(result, "get_weather").parent_id).toBe(root.id);
    expect(result.batch.traces).toEqual([
      {
        id: root.trace_id,
        agent: "support-bot",
        name: "agent.run",
        started_at: root.started_at,
        ended_at: root.ended_at,
        status: "unset",
        input: undefined,
        output: undefined,
        user_id: "u-42",
        session_id: "s-7",
        metadata: expect.objectContaining({ "deployment.environment": "prod" }),
      },
    ]);
    expect(result.batch.traces[0].metadata).not.toHaveProperty("service.name");
    expect(root.attributes).toMatchObject({ "app.retries": 2, "app.ratio": 0.5, "otel.kind": "server" });
    expect(spanAgents(decodeExportTraceServiceRequest(protobuf(await record(agentRun))))).toEqual(
      new Map([[expect.stringMatching(/^[0-9a-f]{32}$/), "support-bot"]]),
    );
  });

  it("files spans without service.name under unknown_service", async () => {
    const result = await mapped({ name: "root" }, { "host.name": "box" });
    expect(result.batch.traces[0].agent).toBe("unknown_service");
  });

  it("maps error status with the exception's type and the status message", async () => {
    const result = await mapped({
      name: "agent.run",
      error: { message: "rate limited", exception: new TypeError("fetch failed") },
    });
    expect(result.batch.spans[0]).toMatchObject({
      status: "error",
      error: { type: "TypeError", message: "rate limited" },
    });
    expect(result.batch.traces[0].status).toBe("error");
  });

  it("rejects spans with invalid ids or no name, counting them and naming each problem once", async () => {
    const req = decodeExportTraceServiceRequest(protobuf(await record(agentRun)));
    const spans = req.resourceSpans[0].scopeSpans[0].spans;
    const extra = (patch: Partial<(typeof spans)[number]>) => ({ ...spans[0], ...patch });
    spans.push(
      extra({ traceId: "0".repeat(32) }),
      extra({ traceId: "abc" }),
      extra({ spanId: "0".repeat(16) }),
      extra({ spanId: "eee19b7ec3c1b174", name: "" }),
    );
    const result = mapOtlpToBatch(req satisfies OtlpTraceRequest);
    expect(result.rejected).toBe(4);
    expect(result.batch.spans).toHaveLength(3);
    expect(result.errors).toEqual([
      "2 spans rejected: traceId must be 32 hex characters, not all zero",
      "1 span rejected: spanId must be 16 hex characters, not all zero",
      "1 span rejected: name is required",
    ]);
  });
});
