/**
 * Tenant sharding (docs/scaling.md): a tenant on DB (also the control database) and one on DB2 run
 * the same core paths, and neither shard shows the other's data.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweepOutbox } from "../../worker/audit/outbox";
import { insertParams } from "../../worker/audit/record";
import { checkpointNow } from "../../worker/audit/tlog/client";
import { parseVkey } from "../../worker/audit/tlog/note.mjs";
import { verifyLog } from "../../worker/audit/tlog/verify.mjs";
import { fnv1a32, placeTenant } from "../../worker/tenants/placement";
import { ruleYaml } from "../api/operations";
import { collect, r2Tiles, rowFor } from "../audit/tlog/rows";
import { at, researchTrace, traceId } from "../fixtures";
import {
  as,
  call,
  createKey,
  type ErrorBody,
  ingest,
  type Session,
  signupOn,
  unique,
  withKey,
} from "../helpers";

type Shard = "DB" | "DB2";
const SHARDS: Shard[] = ["DB", "DB2"];
const other = (s: Shard): Shard => (s === "DB" ? "DB2" : "DB");

const RULE = ruleYaml("shard_bulk_delete");

async function count(shard: Shard, sql: string, ...params: unknown[]): Promise<number> {
  const row = await env[shard]
    .prepare(`SELECT count(*) AS n FROM ${sql}`)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

type AuditList = { data: { seq: number; event_type: string; tenant_id: string }[] };

async function auditEvents(s: Session): Promise<AuditList["data"]> {
  const res = await as(s, "/api/v1/audit/events?limit=200");
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as AuditList).data;
}

describe("placement", () => {
  it("spreads tenant ids over the open shards by weight and never picks a closed one", () => {
    const shards = [
      { name: "DB", weight: 1 },
      { name: "DB2", weight: 3 },
      { name: "DB3", weight: 0 },
    ];
    const seen: Record<string, number> = {};
    for (let i = 0; i < 4000; i++) {
      const name = placeTenant(`t_${i.toString(36)}_${fnv1a32(String(i))}`, shards);
      seen[name] = (seen[name] ?? 0) + 1;
    }
    expect(seen.DB3).toBeUndefined();
    expect((seen.DB2 ?? 0) / 4000).toBeGreaterThan(0.7);
    expect((seen.DB2 ?? 0) / 4000).toBeLessThan(0.8);
    expect(placeTenant("t_same", shards)).toBe(placeTenant("t_same", shards));
    expect(() => placeTenant("t_x", [{ name: "DB", weight: 0 }])).toThrow(/no data database is open/);
  });
});

describe.each(SHARDS)("a tenant on %s", (shard) => {
  it("is placed there at sign-up, and its control-plane rows stay in the control database", async () => {
    const s = await signupOn(shard);
    const row = await env.DB.prepare("SELECT data_db FROM tenants WHERE id = ?")
      .bind(s.tenantId)
      .first<{ data_db: string }>();
    expect(row?.data_db).toBe(shard);
    expect(await count("DB", "users WHERE tenant_id = ?", s.tenantId)).toBe(1);
    // The default rule packs are tenant data: on the tenant's shard only.
    expect(await count(shard, "rules WHERE tenant_id = ?", s.tenantId)).toBeGreaterThan(0);
    expect(await count(other(shard), "rules WHERE tenant_id = ?", s.tenantId)).toBe(0);
  });

  it("ingests traces into its shard and lists and shows them", async () => {
    const s = await signupOn(shard);
    const { key } = await createKey(s);
    const batch = researchTrace();
    const id = batch.traces[0]?.id as string;
    await ingest(key, batch);
    expect(await count(shard, "spans WHERE tenant_id = ?", s.tenantId)).toBe(batch.spans.length);
    expect(await count(other(shard), "spans WHERE tenant_id = ?", s.tenantId)).toBe(0);
    const list = (await (await withKey(key, "/api/v1/traces")).json()) as { data: { id: string }[] };
    expect(list.data.map((t) => t.id)).toEqual([id]);
    const detail = await withKey(key, `/api/v1/traces/${id}`);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { spans: unknown[] }).spans).toHaveLength(batch.spans.length);
  });

  it("gets governor findings through the queue", async () => {
    const s = await signupOn(shard);
    const rule = await as(s, "/api/v1/rules", {
      method: "POST",
      body: RULE,
      headers: { "content-type": "application/yaml" },
    });
    expect(rule.status, await rule.clone().text()).toBe(201);
    const { key } = await createKey(s);
    const trace = traceId("shard-del");
    const span = (id: string, files: number) => ({
      id,
      trace_id: trace,
      type: "tool",
      name: "delete_files",
      started_at: at(0),
      ended_at: at(10),
      status: "ok",
      tool: { name: "delete_files", arguments: { files: Array.from({ length: files }, (_, i) => `f${i}`) } },
    });
    await ingest(key, {
      traces: [{ id: trace, agent: "janitor", started_at: at(0) }],
      spans: [span("d4", 4), span("d6", 6)],
    });
    type Evaluations = { data: { span_id: string; outcome: string; rule_name: string }[] };
    const found = await waitFor(
      async () => (await (await as(s, `/api/v1/evaluations?trace_id=${trace}`)).json()) as Evaluations,
      (r) => r.data.filter((e) => e.rule_name === "shard_bulk_delete").length === 2,
    );
    const mine = found.data.filter((e) => e.rule_name === "shard_bulk_delete");
    expect(Object.fromEntries(mine.map((e) => [e.span_id, e.outcome]))).toEqual({ d4: "amber", d6: "red" });
    expect(await count(shard, "constitutional_evaluations WHERE tenant_id = ?", s.tenantId)).toBeGreaterThan(
      0,
    );
  });

  it("keeps one gap-free audit chain for control-plane and data mutations, exported and verified", async () => {
    const s = await signupOn(shard);
    const { id: keyId } = await createKey(s, ["read"]); // control plane: api_keys in DB
    const rule = await as(s, "/api/v1/rules", {
      method: "POST",
      body: RULE,
      headers: { "content-type": "application/yaml" },
    }); // tenant data: rules on the shard
    expect(rule.status).toBe(201);
    const revoked = await as(s, `/api/v1/api-keys/${keyId}`, { method: "DELETE" });
    expect(revoked.status, await revoked.clone().text()).toBeLessThan(300);

    const events = await auditEvents(s);
    const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const types = events.map((e) => e.event_type);
    expect(types).toEqual(expect.arrayContaining(["tenant.create", "api_key.create", "api_key.revoke"]));
    // The log is on the tenant's shard; nothing waits in the control database's outbox.
    expect(await count(shard, "audit_events WHERE tenant_id = ?", s.tenantId)).toBe(events.length);
    expect(await count(other(shard), "audit_events WHERE tenant_id = ?", s.tenantId)).toBe(0);
    expect(await count("DB", "audit_outbox WHERE tenant_id = ?", s.tenantId)).toBe(0);

    const cp = await checkpointNow(env, s.tenantId);
    const exported = await as(s, "/api/v1/audit/export?format=ndjson");
    expect(exported.status).toBe(200);
    const lines = (await exported.text()).split("\n").filter(Boolean);
    const vkey = ((await (await as(s, "/api/v1/audit/public-key")).json()) as { vkey: string }).vkey;
    const result = await verifyLog({
      checkpoint: cp.note,
      key: parseVkey(vkey),
      events: collect(lines.slice(0, cp.size)),
      fetchTile: r2Tiles(s.tenantId),
    });
    expect(result.status).toBe("verified");
    expect(result.events.verified).toBe(cp.size);
  });

  it("refuses bad input with field paths and writes nothing", async () => {
    const s = await signupOn(shard);
    const { key } = await createKey(s);
    const res = await withKey(key, "/api/v1/traces/ingest", {
      method: "POST",
      json: { traces: [{ id: "", agent: "x", started_at: "not a time" }] },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details?.length).toBeGreaterThan(0);
    expect(await count(shard, "traces WHERE tenant_id = ?", s.tenantId)).toBe(0);
  });
});

describe("dual approval on DB2", () => {
  it("an invited admin approves revoking all keys: the claim on the shard, the action in the control database, one chain", async () => {
    const owner = await signupOn("DB2");
    const invite = await as(owner, "/api/v1/users/invitations", {
      method: "POST",
      json: { email: `${unique()}@example.com`, role: "admin" },
    });
    const { token } = (await invite.json()) as { token: string };
    const accepted = await call("/api/v1/auth/accept-invitation", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "10.8.8.9" },
      body: JSON.stringify({ token, password: "second admin password" }),
    });
    expect(accepted.status).toBe(201);
    const { csrf_token: csrf } = (await accepted.json()) as { csrf_token: string };
    const admin = { ...owner, cookie: (accepted.headers.get("set-cookie") ?? "").split(";")[0] ?? "", csrf };
    const { key } = await createKey(owner);
    const asked = await as(owner, "/api/v1/api-keys/revoke-all", { method: "POST" });
    expect(asked.status).toBe(202);
    const { approval_request_id: id } = (await asked.json()) as { approval_request_id: string };
    expect(await count("DB2", "approval_requests WHERE id = ?", id)).toBe(1);
    const ok = await as(admin, `/api/v1/approvals/${id}/approve`, { method: "POST" });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect((await withKey(key, "/api/v1/traces")).status).toBe(401);
    const events = await auditEvents(owner);
    expect(events.map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["invitation.accept", "approval.approve", "api_key.revoke_all"]),
    );
    const seqs = events.map((e) => e.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});

describe("isolation between shards", () => {
  it("shows neither tenant the other's traces, spans or audit events: 404, never 403", async () => {
    const [a, b] = [await signupOn("DB"), await signupOn("DB2")];
    const [ka, kb] = [(await createKey(a)).key, (await createKey(b)).key];
    const [ta, tb] = [researchTrace(), researchTrace()];
    await ingest(ka, ta);
    await ingest(kb, tb);
    const idA = ta.traces[0]?.id as string;
    const idB = tb.traces[0]?.id as string;
    for (const [key, foreign] of [
      [ka, idB],
      [kb, idA],
    ] as const) {
      expect((await withKey(key, `/api/v1/traces/${foreign}`)).status).toBe(404);
      expect((await withKey(key, `/api/v1/spans/${foreign}-root`)).status).toBe(404);
    }
    const listB = (await (await withKey(kb, "/api/v1/traces")).json()) as { data: { id: string }[] };
    expect(listB.data.map((t) => t.id)).toEqual([idB]);
    for (const s of [a, b]) {
      const tenants = new Set((await auditEvents(s)).map((e) => e.tenant_id));
      expect([...tenants]).toEqual([s.tenantId]);
    }
  });

  it("keeps the same trace id apart on the two shards", async () => {
    const shared = traceId(unique("same"));
    const [a, b] = [await signupOn("DB"), await signupOn("DB2")];
    const [ka, kb] = [(await createKey(a)).key, (await createKey(b)).key];
    await ingest(ka, researchTrace(shared));
    await ingest(kb, { traces: [{ id: shared, agent: "other-agent", started_at: at(0) }], spans: [] });
    const got = async (key: string) =>
      ((await (await withKey(key, `/api/v1/traces/${shared}`)).json()) as { trace: { agent: string } }).trace
        .agent;
    expect(await got(ka)).toBe("research-agent");
    expect(await got(kb)).toBe("other-agent");
  });
});

describe("the control-plane outbox", () => {
  it("leaves neither the mutation nor the event when the event cannot be staged", async () => {
    const s = await signupOn("DB2");
    const trigger = `test_fail_outbox_${s.tenantId.replace(/\W/g, "_")}`;
    await env.DB.exec(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_outbox WHEN new.tenant_id = '${s.tenantId}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    try {
      const res = await as(s, "/api/v1/api-keys", {
        method: "POST",
        json: { name: "doomed", scopes: ["read"] },
      });
      expect(res.status).toBe(500);
    } finally {
      await env.DB.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    }
    expect(await count("DB", "api_keys WHERE tenant_id = ?", s.tenantId)).toBe(0);
    expect((await auditEvents(s)).map((e) => e.event_type)).not.toContain("api_key.create");
  });

  it("appends what a request could not deliver once, in order, when the sweep runs again", async () => {
    const s = await signupOn("DB2");
    const before = await auditEvents(s);
    const delivered = await env.DB2.prepare(
      "SELECT event_id, body, leaf_hash FROM audit_events WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1",
    )
      .bind(s.tenantId)
      .first<{ event_id: string; body: string; leaf_hash: string }>();
    // A delivery that died after appending (its row still in the outbox), then two that never ran.
    const fresh = await Promise.all([1, 2].map((i) => rowFor(s.tenantId, 1000 + i)));
    const rows = [
      { event_id: delivered?.event_id, row: JSON.stringify(["already", "appended"]) },
      ...fresh.map((r) => ({
        event_id: r.body.event_id,
        row: JSON.stringify(insertParams({ ...r, highRisk: false } as Parameters<typeof insertParams>[0])),
      })),
    ];
    await env.DB.batch(
      rows.map((r) =>
        env.DB.prepare(
          "INSERT INTO audit_outbox (tenant_id, event_id, row, created_at) VALUES (?, ?, ?, ?)",
        ).bind(s.tenantId, r.event_id, r.row, Date.now()),
      ),
    );
    expect(await sweepOutbox(env)).toBeGreaterThanOrEqual(3);
    expect(await sweepOutbox(env)).toBe(0);
    const after = await auditEvents(s);
    expect(after).toHaveLength(before.length + 2);
    const seqs = after.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await count("DB", "audit_outbox WHERE tenant_id = ?", s.tenantId)).toBe(0);
  });
});
