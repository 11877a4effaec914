import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { canonicalJson, leafHashHex } from "../../../worker/audit/leaf";
import { insertStatement, prepareEvents } from "../../../worker/audit/record";
import { loadSettings } from "../../../worker/audit/settings";
import {
  ABORT_IF_UNCHANGED,
  backoffSeconds,
  DELIVERY,
  deliverEndpoint,
} from "../../../worker/audit/siem/deliver";
import { kickSiem } from "../../../worker/audit/siem/kick";
import { sweepSiem } from "../../../worker/audit/siem/sweep";
import { createKey, type Session, signup } from "../../helpers";
import {
  api,
  appendEvents,
  backoffElapsed,
  distinct,
  drive,
  endpointRow,
  eventsOf,
  headSeq,
  pastWakeWindow,
  type Received,
  sink,
  type TestEnv,
  testEnv,
  verifySignature,
  type WireEvent,
} from "./harness";

const PATH = "/api/v1/audit/siem-endpoints";

type Setup = {
  s: Session;
  key: string;
  tenv: TestEnv;
  target: ReturnType<typeof sink>;
  id: string;
  secret: string;
  cursor: number;
};

/** A tenant with an audit:write key and one endpoint on its own receiver sink; queue drained. */
async function setup(opts: { format?: "native" | "ocsf"; start?: "now" | "beginning"; label?: string } = {}) {
  const s = await signup();
  const { key } = await createKey(s, ["audit:write", "read"]);
  const tenv = testEnv();
  const target = sink(opts.label ?? "delivery");
  const res = await api(tenv, s, PATH, {
    method: "POST",
    json: { name: "SIEM", url: target.url, format: opts.format ?? "native", start: opts.start ?? "now" },
  });
  expect(res.status).toBe(201);
  const ep = (await res.json()) as { id: string; secret: string; cursor_seq: number };
  tenv.SIEM_QUEUE.take();
  return { s, key, tenv, target, id: ep.id, secret: ep.secret, cursor: ep.cursor_seq } satisfies Setup;
}

const msg = (x: Setup, attempts = 1) => ({ tenant_id: x.s.tenantId, endpoint_id: x.id, attempts });

function seqs(reqs: Received[]): number[] {
  return reqs.flatMap((r) => eventsOf(r).map((e) => e.seq));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("SIEM delivery", () => {
  it("delivers events in order, signed, in the native wire format", async () => {
    const x = await setup();
    await pastWakeWindow();
    const appended = await appendEvents(x.tenv, x.key, 5);
    // The append woke the endpoint: one message, which the test now delivers.
    const kicked = x.tenv.SIEM_QUEUE.take();
    expect(kicked).toEqual([{ tenant_id: x.s.tenantId, endpoint_id: x.id }]);
    const result = await drive(x.tenv, kicked);
    expect(result.explicitAcks).toEqual(result.ids);
    // After delivering, the consumer queues a re-check a moment later.
    expect(x.tenv.SIEM_QUEUE.take()).toEqual([
      { tenant_id: x.s.tenantId, endpoint_id: x.id, delaySeconds: 2 },
    ]);

    const reqs = await x.target.requests();
    expect(reqs).toHaveLength(1);
    const req = reqs[0] as Received;
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["user-agent"]).toBe("AuditTrail-SIEM/1");
    expect(req.headers["x-audittrail-endpoint"]).toBe(x.id);
    expect(req.headers["x-audittrail-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    const t = await verifySignature(x.secret, req.headers["x-audittrail-signature"], req.body);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);

    const head = await headSeq(x.s.tenantId);
    const events = eventsOf(req);
    // The endpoint's own creation event, then the appended events, gap-free.
    expect(events.map((e) => e.seq)).toEqual(range(x.cursor + 1, head));
    expect(events[0]?.event_type).toBe("siem.endpoint.create");
    expect(events.slice(1).map((e) => e.event_id)).toEqual(appended.map((a) => a.event_id));
    expect(events.every((e) => e.tenant_id === x.s.tenantId)).toBe(true);
    // Each event is exactly what the API serves for it.
    const served = await api(x.tenv, x.s, `/api/v1/audit/events/${appended[2]?.event_id}`);
    expect(events[3]).toEqual(await served.json());

    const row = await endpointRow(x.id);
    expect(row).toMatchObject({ cursor_seq: head, delivered_count: 6, attempts: 0, last_status: 200 });
    expect(row?.last_error).toBeNull();
    expect(row?.lease_token).toBeNull();
    const status = (await (await api(x.tenv, x.s, `${PATH}/${x.id}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ lag: 0, head_seq: head, cursor_seq: head, buffered_since: null });
    expect(status.last_success_at).not.toBeNull();

    // Nothing left: the re-check is a no-op and queues nothing further.
    await drive(x.tenv, [msg(x)]);
    expect(await x.target.requests()).toHaveLength(1);
    expect(x.tenv.SIEM_QUEUE.take()).toEqual([]);
  });

  it("maps events to OCSF API Activity for ocsf endpoints", async () => {
    const x = await setup({ format: "ocsf", label: "ocsf" });
    const appended = await appendEvents(x.tenv, x.key, 2);
    await drive(x.tenv, [msg(x)]);
    const [req] = await x.target.requests();
    await verifySignature(x.secret, req?.headers["x-audittrail-signature"], req?.body ?? "");
    const events = (JSON.parse(req?.body ?? "") as { events: Record<string, never>[] }).events;
    expect(events).toHaveLength(3);
    const last = events[2] as unknown as {
      class_uid: number;
      type_uid: number;
      metadata: Record<string, unknown>;
    };
    expect(last.class_uid).toBe(6003);
    expect(last.type_uid).toBe(600301);
    expect(last.metadata).toMatchObject({ uid: appended[1]?.event_id, tenant_uid: x.s.tenantId });
    expect(last.metadata.sequence).toBe(await headSeq(x.s.tenantId));
  });

  it("retries with growing backoff, advances only on success and loses nothing", async () => {
    const x = await setup({ label: "retry" });
    await x.target.script([{ status: 500, body: "indexer down" }, { reset: true }]);
    await appendEvents(x.tenv, x.key, 3);
    x.tenv.SIEM_QUEUE.take();

    // 1st attempt: HTTP 500.
    const r1 = await drive(x.tenv, [{ ...msg(x), id: "m-retry" }]);
    expect(r1.explicitAcks).toEqual([]);
    expect(r1.retryMessages).toEqual([{ msgId: "m-retry" }]);
    const d1 = r1.delays["m-retry"] ?? 0;
    expect(d1).toBeGreaterThanOrEqual(10);
    expect(d1).toBeLessThanOrEqual(12);
    let row = await endpointRow(x.id);
    expect(row).toMatchObject({ cursor_seq: x.cursor, attempts: 1, last_status: 500, delivered_count: 0 });
    expect(row?.last_error).toBe("HTTP 500: indexer down");
    expect(row?.next_attempt_at).toBeGreaterThan(Date.now() + 9_000);

    // During the backoff new events do not wake the endpoint, and an early message does nothing.
    await appendEvents(x.tenv, x.key, 2);
    await kickSiem(x.tenv, x.s.tenantId);
    expect(x.tenv.SIEM_QUEUE.take()).toEqual([]);
    const early = await drive(x.tenv, [msg(x)]);
    expect(early.explicitAcks).toEqual(early.ids);
    expect(await x.target.requests()).toHaveLength(1);

    // 2nd attempt (the retried message, once the delay passed): connection reset.
    await backoffElapsed(x.id);
    const r2 = await drive(x.tenv, [{ ...msg(x, 2), id: "m-retry" }]);
    expect(r2.retryMessages).toEqual([{ msgId: "m-retry" }]);
    const d2 = r2.delays["m-retry"] ?? 0;
    expect(d2).toBeGreaterThan(d1);
    expect(d2).toBeGreaterThanOrEqual(20);
    row = await endpointRow(x.id);
    expect(row).toMatchObject({ cursor_seq: x.cursor, attempts: 2, last_status: null });
    expect(row?.last_error).toMatch(/^network error/);
    const status = (await (await api(x.tenv, x.s, `${PATH}/${x.id}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ attempts: 2, last_status: null, lag: 6 });
    expect(status.buffered_since).not.toBeNull();
    expect(status.next_attempt_at).not.toBeNull();

    // 3rd attempt succeeds with everything, in order.
    await backoffElapsed(x.id);
    const r3 = await drive(x.tenv, [{ ...msg(x, 3), id: "m-retry" }]);
    expect(r3.explicitAcks).toEqual(["m-retry"]);
    const head = await headSeq(x.s.tenantId);
    row = await endpointRow(x.id);
    expect(row).toMatchObject({ cursor_seq: head, attempts: 0, last_status: 200, delivered_count: 6 });
    expect(row?.last_error).toBeNull();
    expect(row?.next_attempt_at).toBeNull();

    const reqs = await x.target.requests();
    expect(reqs.map((r) => r.answered)).toEqual(["500", "reset", "200"]);
    // Each attempt resent from the cursor (same event_ids: duplicates only in the at-least-once sense).
    for (const r of reqs) expect(eventsOf(r)[0]?.seq).toBe(x.cursor + 1);
    const delivered = eventsOf(reqs[2] as Received);
    expect(delivered.map((e) => e.seq)).toEqual(range(x.cursor + 1, head));
    const firstIds = eventsOf(reqs[0] as Received).map((e) => e.event_id);
    expect(delivered.slice(0, firstIds.length).map((e) => e.event_id)).toEqual(firstIds);
  });

  it("gives up on a silent receiver after the timeout and on redirects", async () => {
    const x = await setup({ label: "timeout" });
    await x.target.script([
      { hang: true },
      { status: 302, headers: { location: "https://169.254.169.254/latest/meta-data" } },
    ]);
    const started = Date.now();
    const timedOut = await deliverEndpoint(x.tenv, x.s.tenantId, x.id, { timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(timedOut).toMatchObject({ kind: "failed", status: null, error: "no response within 0.5 s" });
    expect((await endpointRow(x.id))?.cursor_seq).toBe(x.cursor);

    await backoffElapsed(x.id);
    const redirected = await deliverEndpoint(x.tenv, x.s.tenantId, x.id);
    expect(redirected).toMatchObject({ kind: "failed", status: 302 });
    expect((await endpointRow(x.id))?.last_error).toMatch(
      /redirect to https:\/\/169\.254\.169\.254\/.* refused/,
    );
    // The redirect was not followed: the sink saw exactly two requests, and the cursor stayed.
    expect((await x.target.requests()).map((r) => r.answered)).toEqual(["hang", "302"]);
    expect((await endpointRow(x.id))?.attempts).toBe(2);
  });

  it("computes a jittered exponential backoff capped at an hour", () => {
    const low = () => 0;
    const high = () => 0.999;
    expect([1, 2, 3, 4].map((a) => backoffSeconds(a, low))).toEqual([10, 20, 40, 80]);
    // Below the cap, the shortest next delay is never shorter than the longest current one.
    for (let a = 1; a < 10; a++)
      expect(backoffSeconds(a + 1, low)).toBeGreaterThanOrEqual(backoffSeconds(a, high) - 1);
    expect(backoffSeconds(30, low)).toBe(3600);
    expect(backoffSeconds(30, high)).toBeLessThanOrEqual(4320);
  });

  it("lets only one of two racing consumers deliver an endpoint", async () => {
    const x = await setup({ label: "race" });
    await x.target.script([{ status: 200, delay_ms: 400 }]);
    await appendEvents(x.tenv, x.key, 4);
    x.tenv.SIEM_QUEUE.take();
    const [a, b] = await Promise.all([
      drive(x.tenv, [{ ...msg(x), id: "race-a" }]),
      drive(x.tenv, [{ ...msg(x), id: "race-b" }]),
    ]);
    expect([...a.explicitAcks, ...b.explicitAcks].sort()).toEqual(["race-a", "race-b"]);
    const reqs = await x.target.requests();
    expect(reqs).toHaveLength(1);
    const ids = seqs(reqs);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await endpointRow(x.id))?.cursor_seq).toBe(await headSeq(x.s.tenantId));
  });

  it("skips events owed for more than 7 days and records the gap in the log", async () => {
    const x = await setup({ label: "gap" });
    // The endpoint has existed for ten days; its receiver missed three events from eight days ago.
    const tenDaysAgo = Date.now() - 10 * 86_400_000;
    await env.DB.prepare("UPDATE siem_endpoints SET created_at = ?, cursor_seq = ? WHERE id = ?")
      .bind(tenDaysAgo, await headSeq(x.s.tenantId), x.id)
      .run();
    const gapFrom = (await headSeq(x.s.tenantId)) + 1;
    await insertOldEvents(x.s.tenantId, 3, Date.now() - 8 * 86_400_000);
    const fresh = await appendEvents(x.tenv, x.key, 2);
    x.tenv.SIEM_QUEUE.take();

    const result = await drive(x.tenv, [msg(x)]);
    expect(result.explicitAcks).toEqual(result.ids);
    const reqs = await x.target.requests();
    const delivered = reqs.flatMap(eventsOf) as (WireEvent & { metadata: Record<string, number> })[];
    // The fresh events, then the gap event (appended after them), all in seq order.
    expect(delivered.map((e) => e.event_id).slice(0, 2)).toEqual(fresh.map((f) => f.event_id));
    const gap = delivered[2];
    expect(gap?.event_type).toBe("siem.delivery.gap");
    expect(gap?.metadata).toMatchObject({
      from_seq: gapFrom,
      to_seq: gapFrom + 2,
      skipped: 3,
      expired: 3,
      pruned: 0,
    });
    expect(delivered.map((e) => e.seq)).toEqual([gapFrom + 3, gapFrom + 4, gapFrom + 5]);
    const logged = (await (await api(x.tenv, x.s, `/api/v1/audit/events/${gap?.event_id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(logged).toMatchObject({
      outcome: "failure",
      actor: { type: "system", id: "siem" },
      channel: "scheduled",
      target: [{ type: "siem_endpoint", id: x.id, name: "SIEM" }],
      risk: { level: "high" },
    });
    expect((await endpointRow(x.id))?.cursor_seq).toBe(await headSeq(x.s.tenantId));
  });

  it("does not call an old backlog a gap for an endpoint created this week", async () => {
    const x = await setup({ label: "backfill" });
    await env.DB.prepare("UPDATE siem_endpoints SET cursor_seq = ? WHERE id = ?")
      .bind(await headSeq(x.s.tenantId), x.id)
      .run();
    await insertOldEvents(x.s.tenantId, 2, Date.now() - 30 * 86_400_000);
    const outcome = await deliverEndpoint(x.tenv, x.s.tenantId, x.id);
    expect(outcome).toMatchObject({ kind: "done", delivered: 2 });
    expect(await auditTypeCount(x.s.tenantId, "siem.delivery.gap")).toBe(0);
  });

  it("sends nothing to a disabled endpoint and catches up when it is resumed", async () => {
    const x = await setup({ label: "paused" });
    const paused = await api(x.tenv, x.s, `${PATH}/${x.id}`, { method: "PATCH", json: { enabled: false } });
    expect(paused.status).toBe(200);
    await appendEvents(x.tenv, x.key, 3);
    await kickSiem(x.tenv, x.s.tenantId);
    expect(x.tenv.SIEM_QUEUE.take()).toEqual([]);
    const stray = await drive(x.tenv, [msg(x)]);
    expect(stray.explicitAcks).toEqual(stray.ids);
    expect(await sweepSiem(x.tenv, Date.now() + 3_600_000)).toBeGreaterThanOrEqual(0);
    expect(x.tenv.SIEM_QUEUE.take().filter((m) => m.endpoint_id === x.id)).toEqual([]);
    expect(await x.target.requests()).toEqual([]);

    await api(x.tenv, x.s, `${PATH}/${x.id}`, { method: "PATCH", json: { enabled: true } });
    const woken = distinct(x.tenv.SIEM_QUEUE.take());
    expect(woken).toEqual([{ tenant_id: x.s.tenantId, endpoint_id: x.id }]);
    await drive(x.tenv, woken);
    expect(seqs(await x.target.requests())).toEqual(range(x.cursor + 1, await headSeq(x.s.tenantId)));
  });

  it("keeps tenants apart and one failing endpoint does not hold up another", async () => {
    const a = await setup({ label: "tenant-a" });
    const b = await setup({ label: "tenant-b" });
    await a.target.script([{ status: 500 }]);
    await appendEvents(a.tenv, a.key, 2);
    await appendEvents(b.tenv, b.key, 2);
    a.tenv.SIEM_QUEUE.take();
    b.tenv.SIEM_QUEUE.take();
    const result = await drive(a.tenv, [
      { ...msg(a), id: "a-1" },
      { ...msg(b), id: "b-1" },
    ]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["a-1"]);
    expect(result.explicitAcks).toEqual(["b-1"]);
    const bEvents = (await b.target.requests()).flatMap(eventsOf);
    expect(bEvents.length).toBe(3);
    expect(bEvents.every((e) => e.tenant_id === b.s.tenantId)).toBe(true);
    const aEvents = (await a.target.requests()).flatMap(eventsOf);
    expect(aEvents.every((e) => e.tenant_id === a.s.tenantId)).toBe(true);
  });

  it("re-kicks endpoints whose message was lost or whose retry is due (cron sweep)", async () => {
    const x = await setup({ label: "sweep" });
    await appendEvents(x.tenv, x.key, 1);
    x.tenv.SIEM_QUEUE.take(); // the message is "lost"
    const mine = () => x.tenv.SIEM_QUEUE.take().filter((m) => m.endpoint_id === x.id);
    await sweepSiem(x.tenv);
    expect(mine()).toEqual([{ tenant_id: x.s.tenantId, endpoint_id: x.id }]);

    await x.target.script([{ status: 502 }]);
    await drive(x.tenv, [msg(x)]);
    await sweepSiem(x.tenv, Date.now() + 5_000);
    expect(mine()).toEqual([]); // in backoff
    const due = ((await endpointRow(x.id))?.next_attempt_at ?? 0) + 31_000;
    await sweepSiem(x.tenv, due);
    expect(mine()).toEqual([{ tenant_id: x.s.tenantId, endpoint_id: x.id }]);

    // An expired lease (a consumer that died mid-delivery) is taken over.
    await env.DB.prepare("UPDATE siem_endpoints SET lease_token = 'dead', lease_until = ? WHERE id = ?")
      .bind(Date.now() + DELIVERY.leaseMs, x.id)
      .run();
    await backoffElapsed(x.id);
    expect(await deliverEndpoint(x.tenv, x.s.tenantId, x.id)).toEqual({ kind: "busy" });
    const afterLease = await deliverEndpoint(x.tenv, x.s.tenantId, x.id, {
      now: () => Date.now() + DELIVERY.leaseMs + 1,
    });
    expect(afterLease).toMatchObject({ kind: "done", delivered: 2 });
  });

  it("sends 100 events per request, 5 requests per message, and queues the rest", async () => {
    const x = await setup({ label: "bulk" });
    for (let i = 0; i < 6; i++) await appendEvents(x.tenv, x.key, 100);
    x.tenv.SIEM_QUEUE.take();
    const first = await drive(x.tenv, [msg(x)]);
    expect(first.explicitAcks).toEqual(first.ids);
    let reqs = await x.target.requests();
    expect(reqs.map((r) => eventsOf(r).length)).toEqual([100, 100, 100, 100, 100]);
    // More remain, so the consumer queued the endpoint again.
    const again = x.tenv.SIEM_QUEUE.take();
    expect(again).toEqual([{ tenant_id: x.s.tenantId, endpoint_id: x.id }]);
    await drive(x.tenv, again);
    reqs = await x.target.requests();
    expect(reqs.map((r) => eventsOf(r).length)).toEqual([100, 100, 100, 100, 100, 100, 1]);
    expect(seqs(reqs)).toEqual(range(x.cursor + 1, await headSeq(x.s.tenantId)));
    expect(new Set(reqs.map((r) => r.headers["x-audittrail-delivery"])).size).toBe(7);
    expect((await endpointRow(x.id))?.delivered_count).toBe(601);
  });

  it("reports a secret it cannot decrypt as a failed attempt", async () => {
    const x = await setup({ label: "badsecret" });
    await env.DB.prepare("UPDATE siem_endpoints SET secret_cipher = 'v1.AAAA' WHERE id = ?").bind(x.id).run();
    const result = await drive(x.tenv, [{ ...msg(x), id: "bad-secret" }]);
    expect(result.retryMessages).toEqual([{ msgId: "bad-secret" }]);
    const row = await endpointRow(x.id);
    expect(row?.attempts).toBe(1);
    expect(row?.last_error).toMatch(/cannot decrypt the signing secret/);
    expect(row?.lease_token).toBeNull();
    expect(await x.target.requests()).toEqual([]);
  });

  it("records a gap event only together with its cursor move (lease and old cursor checked)", async () => {
    const x = await setup({ label: "guard" });
    const db = env.DB;
    const move = (token: string) =>
      db
        .prepare("UPDATE siem_endpoints SET cursor_seq = cursor_seq WHERE id = ? AND lease_token = ?")
        .bind(x.id, token);
    const marker = (n: number) =>
      db
        .prepare("INSERT INTO audit_prune_grants (tenant_id, through_seq) VALUES (?, ?)")
        .bind(`guard-${x.id}`, n);
    await expect(
      db.batch([move("not-the-lease"), db.prepare(ABORT_IF_UNCHANGED), marker(1)]),
    ).rejects.toThrow();
    const none = await db
      .prepare("SELECT count(*) AS n FROM audit_prune_grants WHERE tenant_id = ?")
      .bind(`guard-${x.id}`)
      .first<{ n: number }>();
    expect(none?.n).toBe(0);
    await db.prepare("UPDATE siem_endpoints SET lease_token = 'mine' WHERE id = ?").bind(x.id).run();
    await db.batch([move("mine"), db.prepare(ABORT_IF_UNCHANGED), marker(2)]);
    const one = await db
      .prepare("SELECT through_seq FROM audit_prune_grants WHERE tenant_id = ?")
      .bind(`guard-${x.id}`)
      .first<{ through_seq: number }>();
    expect(one?.through_seq).toBe(2);
    await db.prepare("DELETE FROM audit_prune_grants WHERE tenant_id = ?").bind(`guard-${x.id}`).run();
  });

  it("wakes only endpoints that are behind, and re-checks shortly after a delivery", async () => {
    const x = await setup({ label: "kick" });
    const me = { tenant_id: x.s.tenantId, endpoint_id: x.id };
    await drive(x.tenv, [msg(x)]);
    expect(x.tenv.SIEM_QUEUE.take()).toEqual([{ ...me, delaySeconds: 2 }]);
    await kickSiem(x.tenv, x.s.tenantId);
    expect(x.tenv.SIEM_QUEUE.take()).toEqual([]);
    // An event whose own wake-up is throttled (or lost) is picked up by that re-check.
    const late = await appendEvents(x.tenv, x.key, 1);
    x.tenv.SIEM_QUEUE.take();
    await drive(x.tenv, [msg(x)]);
    expect(eventsOf((await x.target.requests())[1] as Received).map((e) => e.event_id)).toEqual([
      late[0]?.event_id,
    ]);
    expect(x.tenv.SIEM_QUEUE.take()).toEqual([{ ...me, delaySeconds: 2 }]);
    await pastWakeWindow();
    await appendEvents(x.tenv, x.key, 1);
    expect(x.tenv.SIEM_QUEUE.take()).toEqual([me]);
  });
});

/** Events as if received `receivedAt` (the API always stamps "now"). */
async function insertOldEvents(tenantId: string, n: number, receivedAt: number) {
  const source = {
    tenantId,
    actor: { type: "user" as const, id: "u_old" },
    onBehalfOf: null,
    channel: "api" as const,
    sourceIp: null,
    userAgent: null,
    requestId: null,
  };
  const drafts = Array.from({ length: n }, () => ({ event_type: "old.thing", crud: "c" as const }));
  const prepared = await prepareEvents(env, source, drafts, await loadSettings(env.DB, tenantId));
  for (const e of prepared) {
    e.body.received_at = new Date(receivedAt).toISOString();
    e.body.occurred_at = e.body.received_at;
    e.canonical = canonicalJson(e.body);
    e.leafHash = await leafHashHex(e.canonical);
    await insertStatement(env.DB, e).run();
  }
}

async function auditTypeCount(tenantId: string, type: string) {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM audit_events WHERE tenant_id = ? AND event_type = ?",
  )
    .bind(tenantId, type)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
