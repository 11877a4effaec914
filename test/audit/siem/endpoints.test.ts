import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { decryptSecret } from "../../../worker/audit/siem/secret";
import { createKey, type ErrorBody, type Session, signup } from "../../helpers";
import {
  api,
  distinct,
  drive,
  endpointRow,
  eventsOf,
  sink,
  type TestEnv,
  testEnv,
  verifySignature,
} from "./harness";

type Endpoint = {
  id: string;
  name: string;
  url: string;
  format: string;
  enabled: boolean;
  cursor_seq: number;
  head_seq: number;
  lag: number;
  delivered_count: number;
  attempts: number;
  last_success_at: string | null;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  buffered_since: string | null;
  secret?: string;
};

const PATH = "/api/v1/audit/siem-endpoints";

async function create(tenv: TestEnv, s: Session, body: Record<string, unknown>) {
  return api(tenv, s, PATH, { method: "POST", json: { name: "Splunk", format: "native", ...body } });
}

async function created(tenv: TestEnv, s: Session, body: Record<string, unknown>): Promise<Endpoint> {
  const res = await create(tenv, s, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Endpoint;
}

const countRows = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM siem_endpoints WHERE tenant_id = ?")
      .bind(tenantId)
      .first<{ n: number }>()
  )?.n;

const auditTypes = async (tenantId: string, prefix = "siem.") =>
  (
    await env.DB.prepare(
      "SELECT event_type, body FROM audit_events WHERE tenant_id = ? AND event_type LIKE ? ORDER BY seq",
    )
      .bind(tenantId, `${prefix}%`)
      .all<{ event_type: string; body: string }>()
  ).results;

describe("SIEM endpoints API", () => {
  it("creates an endpoint, shows the secret once and stores it encrypted", async () => {
    const s = await signup();
    const tenv = testEnv();
    const target = sink("create");
    const ep = await created(tenv, s, { url: target.url, start: "now" });
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(ep).toMatchObject({
      name: "Splunk",
      format: "native",
      enabled: true,
      delivered_count: 0,
      attempts: 0,
    });
    // "now": the cursor is the head before the endpoint's own creation event.
    expect(ep.head_seq).toBe(ep.cursor_seq + 1);
    expect(ep.lag).toBe(1);
    expect(ep.buffered_since).not.toBeNull();

    const row = await endpointRow(ep.id);
    expect(row?.secret_cipher).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(row?.secret_cipher).not.toContain(ep.secret?.slice(6, 20));
    const everything = JSON.stringify(
      await env.DB.prepare("SELECT * FROM siem_endpoints WHERE id = ?").bind(ep.id).first(),
    );
    expect(everything).not.toContain(ep.secret);
    expect(await decryptSecret(env, s.tenantId, ep.id, row?.secret_cipher ?? "")).toBe(ep.secret);
    // The ciphertext is bound to its tenant and endpoint.
    await expect(decryptSecret(env, "t_other", ep.id, row?.secret_cipher ?? "")).rejects.toThrow();
    await expect(decryptSecret(env, s.tenantId, "siem_other", row?.secret_cipher ?? "")).rejects.toThrow();

    // Reads never show the secret again.
    const one = (await (await api(tenv, s, `${PATH}/${ep.id}`)).json()) as Endpoint;
    expect(one.secret).toBeUndefined();
    expect(one.id).toBe(ep.id);
    const list = (await (await api(tenv, s, PATH)).json()) as { data: Endpoint[] };
    expect(list.data.map((e) => e.id)).toEqual([ep.id]);
    expect(JSON.stringify(list)).not.toContain("whsec_");

    // The change is in the audit log, without the secret, and the kick queued the endpoint.
    const events = await auditTypes(s.tenantId);
    expect(events.map((e) => e.event_type)).toEqual(["siem.endpoint.create"]);
    expect(events[0]?.body).not.toContain("whsec_");
    expect(JSON.parse(events[0]?.body ?? "{}").changes.after).toMatchObject({
      url: target.url,
      start: "now",
    });
    expect(distinct(tenv.SIEM_QUEUE.take())).toEqual([{ tenant_id: s.tenantId, endpoint_id: ep.id }]);
  });

  it("starts from the first retained event with start=beginning", async () => {
    const s = await signup();
    const ep = await created(testEnv(), s, { url: sink().url, start: "beginning", format: "ocsf" });
    expect(ep.cursor_seq).toBe(0);
    expect(ep.lag).toBe(ep.head_seq);
    expect(ep.format).toBe("ocsf");
  });

  it("rejects bad input with 400 and writes nothing", async () => {
    const s = await signup();
    const tenv = testEnv();
    const before = (await auditTypes(s.tenantId, "")).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ url: "ftp://siem.example.com/in" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: "https://user:pass@siem.example.com/in" }, "url"],
      [{ url: "https://siem.example.com/in", format: "cef" }, "format"],
      [{ url: "https://siem.example.com/in", start: "yesterday" }, "start"],
      [{ url: "https://siem.example.com/in", name: "" }, "name"],
      [{ url: "https://siem.example.com/in", secret: "mine" }, "(root)"],
      [{ url: `https://siem.example.com/${"a".repeat(2100)}` }, "url"],
    ];
    for (const [body, path] of cases) {
      const res = await create(tenv, s, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = (await res.json()) as ErrorBody;
      expect(
        err.error.details?.map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect(await countRows(s.tenantId)).toBe(0);
    expect((await auditTypes(s.tenantId, "")).length).toBe(before);
    expect(tenv.SIEM_QUEUE.sent).toEqual([]);
  });

  it("refuses private and local destinations in production mode", async () => {
    const s = await signup();
    const prod = testEnv({ OUTBOUND_ALLOW_PRIVATE: "false" });
    const refused = [
      "http://siem.example.com/in",
      "https://localhost/in",
      "https://collector.localhost/in",
      "https://splunk.local/in",
      "https://metadata.google.internal/computeMetadata",
      "https://127.0.0.1:8088/in",
      "https://2130706433/in",
      "https://0x7f.0.0.1/in",
      "https://0177.0.0.1/in",
      "https://10.1.2.3/in",
      "https://172.16.0.1/in",
      "https://192.168.1.10/in",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/in",
      "https://[::1]/in",
      "https://[::ffff:127.0.0.1]/in",
      "https://[fd00::1]/in",
      "https://[fe80::1]/in",
      "https://intranet/in",
    ];
    for (const url of refused) {
      const res = await create(prod, s, { url });
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as ErrorBody).error.details?.[0]?.path).toBe("url");
    }
    expect(await countRows(s.tenantId)).toBe(0);
    // A public https URL on any port is fine.
    const ok = await create(prod, s, { url: "https://siem.example.com:8443/in?source=audittrail" });
    expect(ok.status).toBe(201);
    // ... and a stored URL that became private is refused at delivery too, with nothing sent.
    const target = sink("prod-delivery");
    const ep = await created(testEnv(), s, { url: target.url });
    const result = await drive(prod, [{ tenant_id: s.tenantId, endpoint_id: ep.id }]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(result.ids);
    expect((await endpointRow(ep.id))?.last_error).toMatch(
      /^URL refused: the host is a non-public IPv4 address/,
    );
    expect(await target.requests()).toEqual([]);
  });

  it("refuses to store a secret without SECRETS_KEY", async () => {
    const s = await signup();
    const res = await create(testEnv({ SECRETS_KEY: "" }), s, { url: sink().url });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.code).toBe("secrets_key_missing");
    expect(await countRows(s.tenantId)).toBe(0);
  });

  it("answers 404 for another tenant's endpoint on every route and changes nothing", async () => {
    const a = await signup();
    const b = await signup();
    const tenv = testEnv();
    const ep = await created(tenv, a, { url: sink().url });
    const routes: [string, string, unknown?][] = [
      ["GET", `${PATH}/${ep.id}`],
      ["PATCH", `${PATH}/${ep.id}`, { enabled: false, url: "https://evil.example.com/" }],
      ["DELETE", `${PATH}/${ep.id}`],
      ["POST", `${PATH}/${ep.id}/rotate-secret`],
      ["POST", `${PATH}/${ep.id}/test`],
    ];
    for (const [method, path, json] of routes) {
      const res = await api(tenv, b, path, { method, ...(json ? { json } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(((await (await api(tenv, b, PATH)).json()) as { data: unknown[] }).data).toEqual([]);
    const row = await endpointRow(ep.id);
    expect(row?.enabled).toBe(1);
    expect(await auditTypes(b.tenantId)).toEqual([]);
    // A queue message naming the endpoint under the wrong tenant delivers nothing.
    const result = await drive(tenv, [{ tenant_id: b.tenantId, endpoint_id: ep.id }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect((await endpointRow(ep.id))?.last_attempt_at).toBeNull();
  });

  it("is for owners and admins with a session only", async () => {
    const s = await signup();
    const tenv = testEnv();
    const { key } = await createKey(s, ["read", "audit:write"]);
    const res = await api(tenv, null, PATH, { bearer: key });
    expect(res.status).toBe(403);
  });

  it("updates, pauses, rotates and deletes with an audit event each", async () => {
    const s = await signup();
    const tenv = testEnv();
    const first = sink("upd-1");
    const second = sink("upd-2");
    const ep = await created(tenv, s, { url: first.url });
    tenv.SIEM_QUEUE.take();

    const paused = await api(tenv, s, `${PATH}/${ep.id}`, { method: "PATCH", json: { enabled: false } });
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as Endpoint).enabled).toBe(false);
    expect(tenv.SIEM_QUEUE.take()).toEqual([]);

    // An unchanged patch records nothing.
    await api(tenv, s, `${PATH}/${ep.id}`, { method: "PATCH", json: { enabled: false, name: "Splunk" } });

    const bad = await api(tenv, s, `${PATH}/${ep.id}`, { method: "PATCH", json: { url: "gopher://x" } });
    expect(bad.status).toBe(400);

    const moved = await api(tenv, s, `${PATH}/${ep.id}`, {
      method: "PATCH",
      json: { url: second.url, enabled: true, format: "ocsf", name: "Sentinel" },
    });
    expect(moved.status).toBe(200);
    expect((await moved.json()) as Endpoint).toMatchObject({
      url: second.url,
      enabled: true,
      format: "ocsf",
    });
    // The recorder's own wake-up after the audit append may send the same message again.
    expect(distinct(tenv.SIEM_QUEUE.take())).toEqual([{ tenant_id: s.tenantId, endpoint_id: ep.id }]);

    const rotated = await api(tenv, s, `${PATH}/${ep.id}/rotate-secret`, { method: "POST" });
    expect(rotated.status).toBe(200);
    const { secret } = (await rotated.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(ep.secret);

    // The next delivery is signed with the new secret, not the old one.
    tenv.SIEM_QUEUE.take();
    await drive(tenv, [{ tenant_id: s.tenantId, endpoint_id: ep.id }]);
    const [req] = await second.requests();
    expect(req).toBeDefined();
    await verifySignature(secret, req?.headers["x-audittrail-signature"], req?.body ?? "");
    await expect(
      verifySignature(ep.secret ?? "", req?.headers["x-audittrail-signature"], req?.body ?? ""),
    ).rejects.toThrow();
    expect(
      eventsOf(req as never).every((e) => (e as unknown as { class_uid: number }).class_uid === 6003),
    ).toBe(true);

    const del = await api(tenv, s, `${PATH}/${ep.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect((await api(tenv, s, `${PATH}/${ep.id}`)).status).toBe(404);

    const events = await auditTypes(s.tenantId);
    expect(events.map((e) => e.event_type)).toEqual([
      "siem.endpoint.create",
      "siem.endpoint.update",
      "siem.endpoint.update",
      "siem.secret.rotate",
      "siem.endpoint.delete",
    ]);
    const update = JSON.parse(events[2]?.body ?? "{}");
    expect(update.changes.before).toEqual({
      name: "Splunk",
      url: first.url,
      format: "native",
      enabled: false,
    });
    expect(update.changes.after).toEqual({
      name: "Sentinel",
      url: second.url,
      format: "ocsf",
      enabled: true,
    });
    expect(events.map((e) => e.body).join()).not.toContain("whsec_");
  });

  it("sends a signed test request and reports the answer", async () => {
    const s = await signup();
    const tenv = testEnv();
    const target = sink("test-route");
    const ep = await created(tenv, s, { url: target.url });
    await target.script([{ status: 503, body: "maintenance" }]);

    const failed = await api(tenv, s, `${PATH}/${ep.id}/test`, { method: "POST" });
    expect(failed.status).toBe(200);
    expect(await failed.json()).toMatchObject({ ok: false, status: 503, error: "HTTP 503: maintenance" });
    const passed = (await (await api(tenv, s, `${PATH}/${ep.id}/test`, { method: "POST" })).json()) as {
      ok: boolean;
      status: number;
      delivery_id: string;
    };
    expect(passed).toMatchObject({ ok: true, status: 200, error: null });

    const reqs = await target.requests();
    expect(reqs).toHaveLength(2);
    const req = reqs[1];
    expect(JSON.parse(req?.body ?? "")).toEqual({ test: true, endpoint_id: ep.id, events: [] });
    await verifySignature(ep.secret ?? "", req?.headers["x-audittrail-signature"], req?.body ?? "");
    expect(req?.headers["x-audittrail-delivery"]).toBe(passed.delivery_id);
    // A test does not move the cursor or the delivery status.
    const after = (await (await api(tenv, s, `${PATH}/${ep.id}`)).json()) as Endpoint;
    expect(after).toMatchObject({ cursor_seq: ep.cursor_seq, delivered_count: 0, last_attempt_at: null });
    const tests = (await auditTypes(s.tenantId, "siem.endpoint.test")).map((e) => JSON.parse(e.body).outcome);
    expect(tests).toEqual(["failure", "success"]);
  });
});
