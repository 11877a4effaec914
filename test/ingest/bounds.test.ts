import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { at, researchTrace, traceId } from "../fixtures";
import { as, call, createKey, type ErrorBody, ingest, type Session, signup, withKey } from "../helpers";

const count = async (table: string, tenantId: string) =>
  (
    await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
      .bind(tenantId)
      .first<{ n: number }>()
  )?.n ?? 0;

const span = (trace: string, over: Record<string, unknown> = {}) => ({
  id: `${trace}-s`,
  trace_id: trace,
  type: "tool",
  name: "shell",
  started_at: at(0),
  ...over,
});

async function owner() {
  const s = await signup();
  return { s, key: (await createKey(s)).key };
}

const paths = async (res: Response) => ((await res.json()) as ErrorBody).error.details?.map((d) => d.path);

describe("time fields out of range", () => {
  it("refuses a native started_at past year 9999 or far in the future with the field path, storing nothing", async () => {
    const { s, key } = await owner();
    const id = traceId();
    for (const started_at of [9_000_000_000_000_000, Date.now() + 3 * 86_400_000, "0000-01-01T00:00:00Z"]) {
      const res = await withKey(key, "/api/v1/traces/ingest", {
        method: "POST",
        json: { traces: [{ id, agent: "a", started_at }], spans: [span(id, { started_at })] },
      });
      expect(res.status).toBe(400);
      expect(await paths(res)).toEqual(expect.arrayContaining(["traces.0.started_at", "spans.0.started_at"]));
    }
    expect(await count("traces", s.tenantId)).toBe(0);
    expect(await count("spans", s.tenantId)).toBe(0);
  });

  it("rejects OTLP spans whose nanosecond times are out of range and stores none of them", async () => {
    const { s, key } = await owner();
    const otlpSpan = (start: unknown) => ({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      name: "chat",
      startTimeUnixNano: start,
    });
    for (const start of [1e30, "12345678901234567890123", "9000000000000000000000"]) {
      const res = await withKey(key, "/v1/traces", {
        method: "POST",
        json: { resourceSpans: [{ scopeSpans: [{ spans: [otlpSpan(start)] }] }] },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
      expect(body.partialSuccess.rejectedSpans).toBe("1");
      expect(body.partialSuccess.errorMessage).toContain("startTimeUnixNano must be within years 1970–9999");
    }
    expect(await count("spans", s.tenantId)).toBe(0);
  });

  it("refuses an audit occurred_at outside years 1970-9999", async () => {
    const s = await signup();
    const { key } = await createKey(s, ["audit:write"]);
    const event = (occurred_at: string) => ({
      event_type: "refund.initiate",
      crud: "c",
      actor: { type: "user", id: "u_1" },
      occurred_at,
    });
    for (const when of ["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z"]) {
      const res = await withKey(key, "/api/v1/audit/events", { method: "POST", json: event(when) });
      expect(res.status).toBe(400);
      expect(await paths(res)).toContain("occurred_at");
    }
  });

  it("keeps lists and details working when an old stored row holds an impossible time", async () => {
    const { s, key } = await owner();
    const batch = researchTrace();
    await ingest(key, batch);
    const id = batch.traces[0].id;
    await env.DB.prepare("UPDATE traces SET started_at = ?, ended_at = ? WHERE tenant_id = ? AND id = ?")
      .bind(9_000_000_000_000_000, 1e30, s.tenantId, id)
      .run();
    await env.DB.prepare("UPDATE spans SET started_at = ? WHERE tenant_id = ? AND trace_id = ?")
      .bind(-9e18, s.tenantId, id)
      .run();
    const list = await withKey(key, "/api/v1/traces");
    expect(list.status).toBe(200);
    const page = (await list.json()) as { data: { id: string; started_at: string }[] };
    expect(page.data[0]).toMatchObject({ id, started_at: "9999-12-31T23:59:59.999Z" });
    expect((await withKey(key, `/api/v1/traces/${id}`)).status).toBe(200);
    expect((await withKey(key, `/api/v1/traces/${id}/dag`)).status).toBe(200);
  });
});

describe("JSON bodies no schema catches", () => {
  let s: Session;
  const post = (path: string, text: string) =>
    as(s, path, { method: "POST", headers: { "content-type": "application/json" }, body: text });

  it("refuses lone surrogates in any string or key with 400, on every route", async () => {
    s = await signup();
    const { key } = await createKey(s, ["audit:write", "ingest"]);
    const bad = [
      post("/api/v1/api-keys", '{"name":"\\ud800x","scopes":["read"]}'),
      post("/api/v1/audit/siem-endpoints", '{"name":"\\udfff","url":"https://example.com"}'),
      withKey(key, "/api/v1/audit/events", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"tenant_id":"\\ud800x","event_type":"a.b","crud":"c","actor":{"type":"user","id":"u"}}',
      }),
      withKey(key, "/api/v1/traces/ingest", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"traces":[{"id":"t1","agent":"a","started_at":0,"metadata":{"\\ud800":1}}]}`,
      }),
    ];
    for (const res of await Promise.all(bad)) {
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.details?.[0]?.message).toContain("lone UTF-16 surrogate");
    }
    expect(await count("api_keys", s.tenantId)).toBe(1);
    expect(await count("traces", s.tenantId)).toBe(0);
  });

  it("refuses JSON nested deeper than 64 levels with 400, and an audit event nested 5,000 deep", async () => {
    s = await signup();
    const { key } = await createKey(s, ["audit:write", "ingest"]);
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
    const event = `{"event_type":"a.b","crud":"u","actor":{"type":"user","id":"u"},"changes":{"before":{},"after":${deep(5000)}}}`;
    const audit = await withKey(key, "/api/v1/audit/events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: event,
    });
    expect(audit.status).toBe(400);
    expect(((await audit.json()) as ErrorBody).error.details?.[0]?.message).toBe(
      "nested deeper than 64 levels",
    );
    const id = traceId();
    const sent = await withKey(key, "/api/v1/traces/ingest", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"spans":[{"id":"s","trace_id":"${id}","type":"tool","name":"n","started_at":0,"attributes":${deep(1500)}}]}`,
    });
    expect(sent.status).toBe(400);
    const fine = await withKey(key, "/api/v1/traces/ingest", {
      method: "POST",
      json: { spans: [span(id, { attributes: JSON.parse(deep(50)) })] },
    });
    expect(fine.status).toBe(200);
    expect(await count("audit_events", s.tenantId)).toBeGreaterThan(0);
    expect(await count("spans", s.tenantId)).toBe(1);
  });

  it("refuses keys named __proto__ instead of dropping them", async () => {
    const { key } = await owner();
    const res = await withKey(key, "/api/v1/traces/ingest", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"traces":[{"id":"t1","agent":"a","started_at":0,"metadata":{"__proto__":{"x":1}}}]}`,
    });
    expect(res.status).toBe(400);
    expect(await paths(res)).toEqual(["traces.0.metadata.__proto__"]);
  });

  it("answers 413 to a body over 10 MB on routes validated by the schema layer, writing nothing", async () => {
    s = await signup();
    const huge = JSON.stringify({ name: "x".repeat(11 * 1024 * 1024), scopes: ["read"] });
    const declared = await post("/api/v1/api-keys", huge);
    expect(declared.status).toBe(413);
    // Without Content-Length (a stream), the limit holds while reading.
    const stream = new Blob([huge]).stream();
    const streamed = await as(s, "/api/v1/api-keys", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await count("api_keys", s.tenantId)).toBe(0);
  });
});

describe("request ids", () => {
  it("names our own id on audit events and keeps the client's X-Request-Id apart", async () => {
    const s = await signup();
    const res = await as(s, "/api/v1/api-keys", {
      method: "POST",
      headers: { "x-request-id": "client-chosen-id" },
      json: { name: "k", scopes: ["read"] },
    });
    expect(res.status).toBe(201);
    const ours = res.headers.get("x-request-id");
    expect(ours).not.toBe("client-chosen-id");
    const events = (await (await as(s, "/api/v1/audit/events?event_type=api_key.create")).json()) as {
      data: { correlation: Record<string, string> }[];
    };
    expect(events.data[0]?.correlation).toEqual({ request_id: ours, client_request_id: "client-chosen-id" });
  });
});

describe("fields the native format does not know", () => {
  const misplaced = (id: string) => ({
    spans: [
      span(id, {
        tool_name: "shell",
        tool_args: { cmd: "sudo rm -rf /" },
        tool: { name: "shell", args: "x" },
      }),
    ],
  });

  it("keeps them under attributes.unmapped and lists them as warnings with what was meant", async () => {
    const { key } = await owner();
    const id = traceId();
    const res = await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: misplaced(id) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { warnings: { path: string; message: string }[] };
    expect(body.warnings).toEqual([
      {
        path: "spans.0.tool_name",
        message: "unknown field, kept under attributes.unmapped; did you mean 'tool.name'?",
      },
      {
        path: "spans.0.tool_args",
        message: "unknown field, kept under attributes.unmapped; did you mean 'tool.arguments'?",
      },
      {
        path: "spans.0.tool.args",
        message: "unknown field, kept under attributes.unmapped; did you mean 'tool.arguments'?",
      },
    ]);
    const stored = (await (await withKey(key, `/api/v1/spans/${id}-s`)).json()) as {
      attributes: Record<string, unknown>;
    };
    expect(stored.attributes.unmapped).toEqual({
      tool_name: "shell",
      tool_args: { cmd: "sudo rm -rf /" },
      "tool.args": "x",
    });
  });

  it("refuses them with 400 and stores nothing under ?strict=true", async () => {
    const { s, key } = await owner();
    const res = await withKey(key, "/api/v1/traces/ingest?strict=true", {
      method: "POST",
      json: misplaced(traceId()),
    });
    expect(res.status).toBe(400);
    expect(await paths(res)).toEqual(["spans.0.tool_name", "spans.0.tool_args", "spans.0.tool.args"]);
    expect(await count("spans", s.tenantId)).toBe(0);
  });

  it("answers 401 to a caller without a key before looking at the body", async () => {
    const res = await call("/api/v1/traces/ingest", { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
  });
});
