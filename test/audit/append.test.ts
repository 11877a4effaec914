import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { as, createKey, type ErrorBody, signup, withKey } from "../helpers";

const refund = (over: Record<string, unknown> = {}) => ({
  event_type: "refund.initiate",
  crud: "c",
  actor: { type: "ai_assistant", id: "ai_assistant:u_1", display: "Ops assistant" },
  channel: "chat",
  target: [{ type: "order", id: "ord_1", name: "Order 1" }],
  metadata: { amount: 62000, currency: "HUF" },
  ai: {
    conversation_id: "conv_1",
    message_id: "msg_1",
    prompt: "refund order 1, my card is 4111 1111 1111 1111",
    tool_name: "refunds.create",
    tool_args: { order: "ord_1", api_key: "sk-live-secret", note: "Bearer abcdefghijklmnopqrstuvwxyz" },
    model: "gpt-x",
  },
  ...over,
});

async function writer() {
  const s = await signup();
  const { key } = await createKey(s, ["audit:write", "read"]);
  return { s, key };
}

const countEvents = async (tenantId: string, type: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE tenant_id = ? AND event_type = ?")
      .bind(tenantId, type)
      .first<{ n: number }>()
  )?.n;

describe("POST /api/v1/audit/events", () => {
  it("records a chat-originated event with masking, seq and leaf hash", async () => {
    const { s, key } = await writer();
    const res = await withKey(key, "/api/v1/audit/events", { method: "POST", json: refund() });
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { event_id: string; seq: number; leaf_hash: string }[] };
    expect(data).toHaveLength(1);
    expect(data[0]?.leaf_hash).toMatch(/^[0-9a-f]{64}$/);
    const got = await as(s, `/api/v1/audit/events/${data[0]?.event_id}`);
    expect(got.status).toBe(200);
    type Got = {
      tenant_id: string;
      on_behalf_of: string;
      seq: number;
      masking: unknown;
      ai: { prompt: string; tool_args: Record<string, string> };
    };
    const event = (await got.json()) as Got;
    expect(event.tenant_id).toBe(s.tenantId);
    expect(event.on_behalf_of).toBe("u_1");
    expect(event.ai.prompt).toContain("[MASKED:card]");
    expect(event.ai.prompt).not.toContain("4111");
    expect(event.ai.tool_args.api_key).toBe("[MASKED]");
    expect(event.ai.tool_args.note).toBe("Bearer [MASKED:bearer]");
    expect(event.masking).toEqual({ policy_version: "builtin-1", masked: 3 });
    expect(event.seq).toBe(data[0]?.seq);
  });

  it("filters chat-originated refunds over an amount", async () => {
    const { s, key } = await writer();
    const small = refund({ metadata: { amount: 1000, currency: "HUF" } });
    const manual = refund({ actor: { type: "user", id: "u_2" }, ai: null, channel: "manual" });
    const res = await withKey(key, "/api/v1/audit/events", {
      method: "POST",
      json: { events: [refund(), small, manual] },
    });
    expect(res.status).toBe(201);
    const list = await as(
      s,
      "/api/v1/audit/events?actor_type=ai_assistant&event_type=refund.*&field=metadata.amount%3E%3D50000",
    );
    expect(list.status).toBe(200);
    const body = (await list.json()) as { data: { metadata: { amount: number } }[] };
    expect(body.data.map((e) => e.metadata.amount)).toEqual([62000]);
  });

  it("rejects bad input with field paths and writes nothing", async () => {
    const { s, key } = await writer();
    const bad = refund({ crud: "x", actor: { type: "bot", id: "" }, metadata: { ["k".repeat(41)]: 1 } });
    const res = await withKey(key, "/api/v1/audit/events", {
      method: "POST",
      json: { events: [refund(), bad] },
    });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as { error: { details: { path: string }[] } }).error.details.map(
      (d) => d.path,
    );
    expect(paths).toEqual(
      expect.arrayContaining(["events.1.crud", "events.1.actor.type", "events.1.actor.id"]),
    );
    expect(paths.some((p) => p.startsWith("events.1.metadata"))).toBe(true);
    expect(await countEvents(s.tenantId, "refund.initiate")).toBe(0);
  });

  it("replays the first answer for the same Idempotency-Key, refuses another body", async () => {
    const { s, key } = await writer();
    const send = (json: unknown) =>
      withKey(key, "/api/v1/audit/events", { method: "POST", json, headers: { "idempotency-key": "k-1" } });
    const first = await send(refund());
    const second = await send(refund());
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect(await countEvents(s.tenantId, "refund.initiate")).toBe(1);
    const other = await send(refund({ reason: "different" }));
    expect(other.status).toBe(409);
  });

  it("refuses a body naming another tenant and records the attempt", async () => {
    const { s, key } = await writer();
    const res = await withKey(key, "/api/v1/audit/events", {
      method: "POST",
      json: refund({ tenant_id: "t_other" }),
    });
    expect(res.status).toBe(403);
    expect(await countEvents(s.tenantId, "refund.initiate")).toBe(0);
    expect(await countEvents(s.tenantId, "audit.tenant_mismatch")).toBe(1);
  });

  it("needs the audit:write scope", async () => {
    const s = await signup();
    const { key } = await createKey(s, ["ingest", "read"]);
    const res = await withKey(key, "/api/v1/audit/events", { method: "POST", json: refund() });
    expect(res.status).toBe(403);
  });

  it("keeps seq gap-free under 1,000 concurrent writes", async () => {
    const { s, key } = await writer();
    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        withKey(key, "/api/v1/audit/events", { method: "POST", json: refund({ reason: `n${i}` }) }),
      ),
    );
    expect(responses.every((r) => r.status === 201)).toBe(true);
    const seqs = await env.DB.prepare("SELECT seq FROM audit_events WHERE tenant_id = ? ORDER BY seq")
      .bind(s.tenantId)
      .all<{ seq: number }>();
    const all = seqs.results.map((r) => r.seq);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(all.length).toBeGreaterThanOrEqual(1000);
  }, 60_000); // correctness under contention, not speed (npm run bench measures that)

  it("hides another tenant's events, and its cursors", async () => {
    const a = await writer();
    const b = await writer();
    const res = await withKey(a.key, "/api/v1/audit/events", { method: "POST", json: refund() });
    expect(res.status).toBe(201);
    const listB = (await (await as(b.s, "/api/v1/audit/events?event_type=refund.initiate")).json()) as {
      data: unknown[];
    };
    expect(listB.data).toEqual([]);
    await withKey(a.key, "/api/v1/audit/events", { method: "POST", json: { events: [refund(), refund()] } });
    const page = (await (await as(a.s, "/api/v1/audit/events?limit=1")).json()) as { next_cursor: string };
    expect(page.next_cursor).toBeTruthy();
    expect((await as(b.s, `/api/v1/audit/events?cursor=${page.next_cursor}`)).status).toBe(404);
    expect((await as(a.s, `/api/v1/audit/events?cursor=${page.next_cursor}`)).status).toBe(200);
  });
});

describe("free-text search", () => {
  it("finds words in reason, prompt and target names, only in the caller's tenant", async () => {
    const a = await writer();
    const b = await writer();
    const body = { events: [refund({ reason: "escalated by quokka team" }), refund()] };
    await withKey(a.key, "/api/v1/audit/events", { method: "POST", json: body });
    await withKey(b.key, "/api/v1/audit/events", { method: "POST", json: body });
    const found = (await (await as(a.s, "/api/v1/audit/events?q=quokka")).json()) as {
      data: { tenant_id: string; reason: string }[];
    };
    expect(found.data.map((e) => [e.tenant_id, e.reason])).toEqual([
      [a.s.tenantId, "escalated by quokka team"],
    ]);
    const byPrompt = (await (await as(a.s, "/api/v1/audit/events?q=refund%20order")).json()) as {
      data: unknown[];
    };
    expect(byPrompt.data).toHaveLength(2);
    const syntax = await as(a.s, "/api/v1/audit/events?q=%22%20OR%20*%20NEAR(");
    expect(syntax.status).toBe(200);
  });

  it("refuses text with no searchable words instead of returning everything", async () => {
    const { s, key } = await writer();
    await withKey(key, "/api/v1/audit/events", { method: "POST", json: { events: [refund()] } });
    for (const q of ["'", "...", "--", "   ", '"*']) {
      const res = await as(s, `/api/v1/audit/events?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as ErrorBody).error.details).toEqual([
        { path: "q", message: "q has no searchable words; use letters or digits" },
      ]);
    }
    const blank = (await (await as(s, "/api/v1/audit/events?q=")).json()) as { data: unknown[] };
    expect(blank.data.length).toBeGreaterThan(0);
  });
});

describe("GET /api/v1/audit/events limit", () => {
  it("takes 1 to 200 events a page, as documented", async () => {
    const { s } = await writer();
    expect((await as(s, "/api/v1/audit/events?limit=200")).status).toBe(200);
    for (const limit of ["0", "201", "500"]) {
      const res = await as(s, `/api/v1/audit/events?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(((await res.json()) as ErrorBody).error.details?.map((d) => d.path)).toEqual(["limit"]);
    }
  });
});

describe("time filters", () => {
  it("match occurred_at, including events sent late; refuse a far-future occurred_at", async () => {
    const { s, key } = await writer();
    const day = 86_400_000;
    const old = new Date(Date.now() - 2 * day).toISOString();
    await withKey(key, "/api/v1/audit/events", {
      method: "POST",
      json: { events: [refund({ occurred_at: old, reason: "late" }), refund({ reason: "fresh" })] },
    });
    const since = (ms: number) => encodeURIComponent(new Date(Date.now() - ms).toISOString());
    const reasons = async (query: string) =>
      (
        (await (await as(s, `/api/v1/audit/events?event_type=refund.initiate&${query}`)).json()) as {
          data: { reason: string }[];
        }
      ).data.map((e) => e.reason);
    expect(await reasons(`from=${since(3 * day)}`)).toEqual(["fresh", "late"]);
    expect(await reasons(`from=${since(day)}`)).toEqual(["fresh"]);
    expect(await reasons(`from=${since(3 * day)}&to=${since(day)}`)).toEqual(["late"]);
    const future = new Date(Date.now() + 2 * day).toISOString();
    const res = await withKey(key, "/api/v1/audit/events", {
      method: "POST",
      json: refund({ occurred_at: future }),
    });
    expect(res.status).toBe(400);
  });
});
