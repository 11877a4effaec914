import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SPAN_COLUMNS, type SpanRow, TRACE_COLUMNS, type TraceRow } from "../../worker/db/traces";
import { at, traceId } from "../fixtures";
import { createKey, ingest, signup, withKey } from "../helpers";

/**
 * Where each stored column shows in the API (a dotted path), or null for columns the API does not
 * show. Typed against the tables, so a new column fails to compile here until it is placed.
 */
const SPAN_API = {
  tenant_id: null,
  trace_id: "trace_id",
  id: "id",
  parent_id: "parent_id",
  type: "type",
  name: "name",
  started_at: "started_at",
  ended_at: "ended_at",
  duration_ms: "duration_ms",
  status: "status",
  error_type: "error.type",
  error_message: "error.message",
  input: "input",
  output: "output",
  model: "model",
  provider: "provider",
  input_tokens: "usage.input_tokens",
  output_tokens: "usage.output_tokens",
  cost_usd: "usage.cost_usd",
  tool_name: "tool.name",
  tool_arguments: "tool.arguments",
  tool_result: "tool.result",
  attributes: "attributes",
  truncated_fields: "truncated_fields",
  payload_ref: null,
  worst_outcome: "worst_outcome",
  created_at: null,
  updated_at: null,
} satisfies Record<keyof SpanRow, string | null>;

const TRACE_API = {
  pk: null,
  tenant_id: null,
  id: "id",
  agent: "agent",
  name: "name",
  started_at: "started_at",
  ended_at: "ended_at",
  duration_ms: "duration_ms",
  status: "status",
  input: "input",
  output: "output",
  user_id: "user_id",
  session_id: "session_id",
  metadata: "metadata",
  tags: "tags",
  placeholder: null,
  api_key_id: "api_key_id",
  created_by_user_id: "created_by_user_id",
  span_count: "span_count",
  error_count: "error_count",
  input_tokens: "usage.input_tokens",
  output_tokens: "usage.output_tokens",
  cost_usd: "usage.cost_usd",
  models: "models",
  worst_outcome: "worst_outcome",
  truncated_fields: "truncated_fields",
  payload_ref: null,
  created_at: null,
  updated_at: null,
} satisfies Record<keyof TraceRow, string | null>;

const big = "every field set ".repeat(1100); // past the 16 KB inline limit: truncated_fields, payload_ref

/** A trace and a span that set every field the ingest format has. */
function fullBatch(id: string) {
  return {
    traces: [
      {
        id,
        agent: "round-trip-agent",
        name: "every field",
        started_at: at(0),
        ended_at: at(900),
        status: "error",
        input: { question: big },
        output: { answer: "42" },
        user_id: "user-rt",
        session_id: "sess-rt",
        metadata: { build: "7" },
        tags: ["rt"],
      },
    ],
    spans: [
      {
        id: `${id}-s`,
        trace_id: id,
        parent_id: `${id}-parent`,
        type: "llm",
        name: "complete",
        started_at: at(100),
        ended_at: at(400),
        status: "error",
        error: { type: "RateLimit", message: "slow down" },
        input: big,
        output: { text: "hello" },
        model: "gpt-4o-mini",
        provider: "openai",
        usage: { input_tokens: 1000, output_tokens: 500, cost_usd: 0.25 },
        tool: { name: "calc", arguments: { x: 1 }, result: { y: 2 } },
        attributes: { temperature: 0.1 },
      },
    ],
  };
}

/** The value at a dotted path, null where there is none. */
function valueAt(value: unknown, path: string): unknown {
  const found = path
    .split(".")
    .reduce<unknown>(
      (v, key) => (typeof v === "object" && v !== null ? Reflect.get(v, key) : undefined),
      value,
    );
  return found ?? null;
}

async function storedRows(tenantId: string, id: string) {
  const trace = await env.DB.prepare("SELECT * FROM traces WHERE tenant_id = ? AND id = ?")
    .bind(tenantId, id)
    .first<Record<string, unknown>>();
  const span = await env.DB.prepare("SELECT * FROM spans WHERE tenant_id = ? AND trace_id = ?")
    .bind(tenantId, id)
    .first<Record<string, unknown>>();
  return { trace: trace ?? {}, span: span ?? {} };
}

/** Every column the JSON rows carry, with what the stored row holds there (null if missing). */
function sentValues(rules: Record<string, string | null>, row: Record<string, unknown>) {
  return Object.keys(rules)
    .filter((c) => rules[c] !== null)
    .map((c) => [c, row[c] ?? null] as const);
}

async function setUp() {
  const s = await signup();
  const { key } = await createKey(s);
  const id = traceId("rt");
  await ingest(key, fullBatch(id));
  return { s, key, id };
}

describe("span and trace columns", () => {
  it("stores every column ingest sends, for a batch that sets every field", async () => {
    const { s, id } = await setUp();
    const { trace, span } = await storedRows(s.tenantId, id);
    for (const [c, value] of sentValues(SPAN_COLUMNS, span)) expect(value, `spans.${c}`).not.toBeNull();
    for (const [c, value] of sentValues(TRACE_COLUMNS, trace)) expect(value, `traces.${c}`).not.toBeNull();
    expect(span.duration_ms).toBe(300);
    expect(trace.duration_ms).toBe(900);
  });

  it("keeps every column a span and a trace said before when they are sent again bare", async () => {
    const { s, key, id } = await setUp();
    await ingest(key, {
      traces: [{ id, agent: "round-trip-agent", started_at: at(0) }],
      spans: [{ id: `${id}-s`, trace_id: id, type: "llm", name: "complete", started_at: at(100) }],
    });
    const { trace, span } = await storedRows(s.tenantId, id);
    for (const [c, value] of sentValues(SPAN_COLUMNS, span)) expect(value, `spans.${c}`).not.toBeNull();
    for (const [c, value] of sentValues(TRACE_COLUMNS, trace)) expect(value, `traces.${c}`).not.toBeNull();
    expect(span.status).toBe("error");
    expect(span.duration_ms).toBe(300);
  });

  it("shows every stored column in the read API", async () => {
    const { s, key, id } = await setUp();
    // The governor's column, set by hand so that it is not null either.
    await env.DB.batch([
      env.DB.prepare("UPDATE spans SET worst_outcome = 'amber' WHERE tenant_id = ? AND trace_id = ?").bind(
        s.tenantId,
        id,
      ),
      env.DB.prepare("UPDATE traces SET worst_outcome = 'amber' WHERE tenant_id = ? AND id = ?").bind(
        s.tenantId,
        id,
      ),
    ]);
    const detail = (await (await withKey(key, `/api/v1/traces/${id}`)).json()) as {
      trace: unknown;
      spans: unknown[];
    };
    const span = await (await withKey(key, `/api/v1/spans/${id}-s`)).json();
    for (const [c, path] of Object.entries(SPAN_API)) {
      if (path) expect(valueAt(span, path), `span ${c} → ${path}`).not.toBeNull();
    }
    for (const [c, path] of Object.entries(TRACE_API)) {
      if (path) expect(valueAt(detail.trace, path), `trace ${c} → ${path}`).not.toBeNull();
    }
    // The trace's spans read the same columns the same way (the governor may rewrite worst_outcome).
    expect(detail.spans[0]).toEqual({ ...(span as object), worst_outcome: expect.anything(), depth: 0 });
  });

  it("reads back what was sent", async () => {
    const { key, id } = await setUp();
    // worst_outcome is the governor's, which may or may not have evaluated the span by now.
    const { worst_outcome: _, ...span } = (await (await withKey(key, `/api/v1/spans/${id}-s`)).json()) as {
      worst_outcome: unknown;
    };
    expect(span).toEqual({
      id: `${id}-s`,
      trace_id: id,
      parent_id: `${id}-parent`,
      type: "llm",
      name: "complete",
      started_at: at(100),
      ended_at: at(400),
      duration_ms: 300,
      status: "error",
      error: { type: "RateLimit", message: "slow down" },
      input: big.slice(0, 16_384),
      output: { text: "hello" },
      model: "gpt-4o-mini",
      provider: "openai",
      usage: { input_tokens: 1000, output_tokens: 500, cost_usd: 0.25 },
      tool: { name: "calc", arguments: { x: 1 }, result: { y: 2 } },
      attributes: { temperature: 0.1 },
      truncated_fields: ["input"],
    });
    const { trace } = (await (await withKey(key, `/api/v1/traces/${id}`)).json()) as { trace: unknown };
    expect(trace).toMatchObject({
      id,
      agent: "round-trip-agent",
      name: "every field",
      started_at: at(0),
      ended_at: at(900),
      duration_ms: 900,
      status: "error",
      output: { answer: "42" },
      user_id: "user-rt",
      session_id: "sess-rt",
      metadata: { build: "7" },
      tags: ["rt"],
      span_count: 1,
      error_count: 1,
      usage: { input_tokens: 1000, output_tokens: 500, cost_usd: 0.25 },
      models: ["gpt-4o-mini"],
      truncated_fields: ["input"],
    });
  });
});
