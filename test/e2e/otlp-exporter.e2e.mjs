// The real OpenTelemetry JS exporter (protobuf, plain and gzip) posting to the running worker.
import assert from "node:assert/strict";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { startServer } from "./harness.mjs";

async function signUpWithKey(url) {
  const email = `otel-${Date.now()}@example.com`;
  const signup = await fetch(`${url}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant_name: "OTel e2e", email, password: "a long password" }),
  });
  assert.equal(signup.status, 201);
  const { csrf_token } = await signup.json();
  const cookie = signup.headers.get("set-cookie").split(";")[0];
  const key = await fetch(`${url}/api/v1/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf_token },
    body: JSON.stringify({ name: "otel", scopes: ["ingest", "read"] }),
  });
  assert.equal(key.status, 201);
  return (await key.json()).key;
}

async function exportRun(url, key, compression, service) {
  const exporter = new OTLPTraceExporter({
    url: `${url}/v1/traces`,
    headers: { Authorization: `Bearer ${key}` },
    compression,
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("e2e");
  const root = tracer.startSpan("invoke_agent triage", {
    attributes: { "gen_ai.operation.name": "invoke_agent" },
  });
  const chat = tracer.startSpan(
    "chat claude-sonnet-4-5",
    {
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.usage.input_tokens": 200,
        "gen_ai.usage.output_tokens": 40,
      },
    },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  chat.end();
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  return root.spanContext().traceId;
}

const server = await startServer();
try {
  const key = await signUpWithKey(server.url);
  for (const [compression, service] of [
    ["none", "otel-plain"],
    ["gzip", "otel-gzip"],
  ]) {
    const traceId = await exportRun(server.url, key, compression, service);
    const res = await fetch(`${server.url}/api/v1/traces/${traceId}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.status, 200, `trace ${traceId} readable`);
    const { trace: t, spans } = await res.json();
    assert.equal(t.agent, service);
    assert.deepEqual(
      spans.map((s) => [s.type, s.depth]),
      [
        ["agent", 0],
        ["llm", 1],
      ],
    );
    assert.equal(spans[1].model, "claude-sonnet-4-5");
    assert.equal(spans[1].usage.input_tokens, 200);
    console.log(`ok - real OTLP exporter (${compression}) → ${service}: 2 spans read back`);
  }
} finally {
  server.stop();
}
