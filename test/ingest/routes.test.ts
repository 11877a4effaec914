import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { at, researchTrace, traceId } from "../fixtures";
import { as, createKey, type ErrorBody, ingest, signup, withKey } from "../helpers";

async function spanCount(tenantId: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM spans WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

type Detail = {
  trace: Record<string, unknown> & { usage: { cost_usd: number }; span_count: number };
  spans: (Record<string, unknown> & { id: string; depth: number })[];
};

describe("native ingest", () => {
  it("stores traces and spans, computes cost for known models and records the sending key", async () => {
    const s = await signup();
    const { id: keyId, key } = await createKey(s);
    const batch = researchTrace();
    const res = await ingest(key, batch);
    expect(res).toEqual({ accepted: { traces: 1, spans: 5 }, truncated: 0, warnings: [] });
    const detail = (await (await withKey(key, `/api/v1/traces/${batch.traces[0].id}`)).json()) as Detail;
    expect(detail.trace).toMatchObject({
      agent: "research-agent",
      span_count: 5,
      error_count: 1,
      api_key_id: keyId,
      created_by_user_id: s.userId,
    });
    // gpt-4o-mini: 1000 × $0.15/M + 500 × $0.60/M
    expect(detail.trace.usage.cost_usd).toBeCloseTo(0.00045, 8);
    const agents = (await (await withKey(key, "/api/v1/agents")).json()) as { data: { name: string }[] };
    expect(agents.data.map((a) => a.name)).toContain("research-agent");
  });

  it("says in Server-Timing what D1 spent on the batch", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const res = await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: researchTrace() });
    expect(res.status).toBe(200);
    const timing = res.headers.get("server-timing") ?? "";
    expect(timing).toMatch(/^d1;dur=[\d.]+, d1-rows-read;desc="\d+", d1-rows-written;desc="\d+"$/);
    // 1 trace and 5 spans: each row and each of its index entries counts as written.
    expect(Number(/d1-rows-written;desc="(\d+)"/.exec(timing)?.[1])).toBeGreaterThanOrEqual(6);
  });

  it("accepts spans before their trace and merges a span sent twice", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const id = traceId();
    const started = {
      id: "s1",
      trace_id: id,
      type: "llm",
      name: "call",
      started_at: at(0),
      status: "unset",
      model: "gpt-4o",
    };
    await ingest(key, { spans: [started] });
    await ingest(key, {
      spans: [{ ...started, ended_at: at(250), status: "ok", usage: { input_tokens: 10, output_tokens: 5 } }],
    });
    await ingest(key, {
      traces: [{ id, agent: "late-agent", started_at: at(0), ended_at: at(300), name: "late" }],
    });
    const detail = (await (await withKey(key, `/api/v1/traces/${id}`)).json()) as Detail;
    expect(detail.spans).toHaveLength(1);
    expect(detail.spans[0]).toMatchObject({ status: "ok", duration_ms: 250, model: "gpt-4o" });
    expect(detail.trace).toMatchObject({
      agent: "late-agent",
      name: "late",
      duration_ms: 300,
      span_count: 1,
    });
    expect(await spanCount(s.tenantId)).toBe(1);
  });

  it("rejects a batch with one bad span, naming its path, and stores none of it", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const batch = researchTrace();
    (batch.spans[3] as Record<string, unknown>).type = "teleport";
    const res = await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: batch });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.details?.map((d) => d.path)).toContain("spans.3.type");
    expect(await spanCount(s.tenantId)).toBe(0);
  });

  it("answers malformed JSON with 400, a wrong content type with 415 and an oversized body with 413", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const post = (body: BodyInit, type = "application/json") =>
      withKey(key, "/api/v1/traces/ingest", { method: "POST", body, headers: { "content-type": type } });
    expect((await post("{not json")).status).toBe(400);
    expect((await post("traces=1", "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await post("x".repeat(11 * 1024 * 1024))).status).toBe(413);
    expect(await spanCount(s.tenantId)).toBe(0);
  });

  it("accepts gzip bodies", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const gz = new Response(
      new Blob([JSON.stringify(researchTrace())]).stream().pipeThrough(new CompressionStream("gzip")),
    );
    const res = await withKey(key, "/api/v1/traces/ingest", {
      method: "POST",
      body: await gz.arrayBuffer(),
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
    });
    expect(res.status).toBe(200);
    expect(await spanCount(s.tenantId)).toBe(5);
  });

  it("keeps an oversized input whole in R2 and flags the truncation", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const id = traceId();
    const big = "lorem ipsum ".repeat(4000);
    const res = await ingest(key, {
      spans: [{ id: "big", trace_id: id, type: "llm", name: "long prompt", started_at: at(0), input: big }],
    });
    expect(res).toMatchObject({ truncated: 1 });
    const span = (await (await withKey(key, "/api/v1/spans/big")).json()) as {
      truncated_fields: string[];
      input: string;
    };
    expect(span.truncated_fields).toEqual(["input"]);
    expect(span.input.length).toBeLessThan(big.length);
    const whole = await withKey(key, "/api/v1/spans/big/payload?field=input");
    expect(whole.status).toBe(200);
    expect(await whole.json()).toBe(big);
  });

  it("answers 401 without a key, and 403 for a key without the ingest scope", async () => {
    const s = await signup();
    const { key } = await createKey(s, ["read"]);
    expect(
      (await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: researchTrace() })).status,
    ).toBe(403);
    expect(
      (await as({ ...s, cookie: "" }, "/api/v1/traces/ingest", { method: "POST", json: researchTrace() }))
        .status,
    ).toBe(401);
    expect(await spanCount(s.tenantId)).toBe(0);
  });

  it("keeps tenants apart when both send the same trace and span ids", async () => {
    const a = await signup();
    const b = await signup();
    const ka = await createKey(a);
    const kb = await createKey(b);
    const batch = researchTrace("shared-id");
    await ingest(ka.key, batch);
    await ingest(kb.key, { ...batch, traces: [{ ...batch.traces[0], agent: "b-agent" }] });
    const da = (await (await withKey(ka.key, "/api/v1/traces/shared-id")).json()) as Detail;
    const db = (await (await withKey(kb.key, "/api/v1/traces/shared-id")).json()) as Detail;
    expect(da.trace.agent).toBe("research-agent");
    expect(db.trace.agent).toBe("b-agent");
    expect(da.spans).toHaveLength(5);
  });
});
