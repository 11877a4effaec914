import { env } from "cloudflare:workers";
import { ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { createKey, signup, withKey } from "../helpers";

/** A support-bot run recorded by the real SDK: agent → chat (GenAI semconv) + failing tool. */
async function recordRun(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "support-bot" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("test");
  const root = tracer.startSpan("invoke_agent support", {
    attributes: { "gen_ai.operation.name": "invoke_agent" },
  });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  const chat = tracer.startSpan(
    "chat gpt-4o",
    {
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.provider.name": "openai",
        "gen_ai.usage.input_tokens": 120,
        "gen_ai.usage.output_tokens": 30,
      },
    },
    ctx,
  );
  chat.end();
  const tool = tracer.startSpan(
    "execute_tool refund",
    {
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "refund",
        "gen_ai.tool.call.arguments": '{"amount":50}',
      },
    },
    ctx,
  );
  tool.setStatus({ code: SpanStatusCode.ERROR, message: "refund service down" });
  tool.end();
  root.end();
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

function post(key: string, body: BodyInit, type: string, extra: Record<string, string> = {}) {
  return withKey(key, "/v1/traces", { method: "POST", body, headers: { "content-type": type, ...extra } });
}

async function stored(tenantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT type, name, model, input_tokens, status, tool_name FROM spans WHERE tenant_id = ? ORDER BY name",
  )
    .bind(tenantId)
    .all<Record<string, unknown>>();
  return results;
}

describe("POST /v1/traces (OTLP/HTTP)", () => {
  it("stores a protobuf export mapped onto spans, with an empty protobuf response", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const res = await post(
      key,
      ProtobufTraceSerializer.serializeRequest(await recordRun()) as Uint8Array,
      "application/x-protobuf",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    const spans = await stored(s.tenantId);
    expect(spans).toEqual([
      {
        type: "llm",
        name: "chat gpt-4o",
        model: "gpt-4o",
        input_tokens: 120,
        status: "unset",
        tool_name: null,
      },
      {
        type: "tool",
        name: "execute_tool refund",
        model: null,
        input_tokens: null,
        status: "error",
        tool_name: "refund",
      },
      {
        type: "agent",
        name: "invoke_agent support",
        model: null,
        input_tokens: null,
        status: "unset",
        tool_name: null,
      },
    ]);
    const list = (await (await withKey(key, "/api/v1/traces")).json()) as {
      data: { agent: string; span_count: number }[];
    };
    expect(list.data).toEqual([expect.objectContaining({ agent: "support-bot", span_count: 3 })]);
  });

  it("accepts OTLP/JSON, gzip-compressed", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const json = JsonTraceSerializer.serializeRequest(await recordRun()) as Uint8Array;
    const gz = await new Response(
      new Blob([json]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer();
    const res = await post(key, gz, "application/json", { "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(await stored(s.tenantId)).toHaveLength(3);
  });

  it("reports spans it cannot store as a partial success", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const body = JSON.parse(
      new TextDecoder().decode(JsonTraceSerializer.serializeRequest(await recordRun()) as Uint8Array),
    );
    body.resourceSpans[0].scopeSpans[0].spans[0].spanId = "zz";
    const res = await post(key, JSON.stringify(body), "application/json");
    expect(res.status).toBe(200);
    const out = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(out.partialSuccess.rejectedSpans).toBe("1");
    expect(out.partialSuccess.errorMessage).toMatch(/spanId/);
    expect(await stored(s.tenantId)).toHaveLength(2);
  });

  it("answers malformed protobuf with 400, other content types with 415, and stores nothing", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    expect((await post(key, new Uint8Array([0x0a, 0xff, 0xff, 0x01]), "application/x-protobuf")).status).toBe(
      400,
    );
    expect((await post(key, "hello", "text/plain")).status).toBe(415);
    expect(await stored(s.tenantId)).toHaveLength(0);
  });

  it("requires a key with the ingest scope", async () => {
    const s = await signup();
    const { key } = await createKey(s, ["read"]);
    const bytes = ProtobufTraceSerializer.serializeRequest(await recordRun()) as Uint8Array;
    expect((await post(key, bytes, "application/x-protobuf")).status).toBe(403);
    expect((await post("at_nope", bytes, "application/x-protobuf")).status).toBe(401);
  });
});
