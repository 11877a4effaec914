import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { notifyChannels } from "../../worker/alerts/channels/notify";
import { api, sink } from "../audit/siem/harness";
import { as, createKey, type ErrorBody, type Session, signup, withKey } from "../helpers";
import { inviteViewer } from "../live/sockets";
import {
  alertEvent,
  CHANNELS,
  createChannel,
  deliveriesOf,
  tenantOf,
  testEnv,
  trigger,
} from "./channel-harness";

const ROUTING_KEY = "R0123456789abcdef0123456789abcde";

const rawRow = (id: string) =>
  env.DB.prepare("SELECT * FROM alert_channels WHERE id = ?").bind(id).first<Record<string, unknown>>();

const countRows = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM alert_channels WHERE tenant_id = ?")
      .bind(tenantId)
      .first<{ n: number }>()
  )?.n;

const auditOf = async (tenantId: string) =>
  (
    await env.DB.prepare(
      "SELECT event_type, body FROM audit_events WHERE tenant_id = ? AND event_type LIKE 'alert_channel.%' ORDER BY seq",
    )
      .bind(tenantId)
      .all<{ event_type: string; body: string }>()
  ).results;

async function expect400(res: Response, paths: string[]) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe("validation_error");
  expect((body.error.details ?? []).map((d) => d.path).sort()).toEqual([...paths].sort());
}

describe("alert channels API", () => {
  it("creates each kind with credentials encrypted at rest and only the host shown", async () => {
    const s = await signup();
    const target = sink("kinds");
    const slackUrl = `${target.url}?token=slack-secret-part`;
    const slack = await createChannel(s, { kind: "slack", url: slackUrl });
    const chat = await createChannel(s, { kind: "google_chat", url: `${target.url}?key=chat-secret` });
    const pd = await createChannel(s, { kind: "pagerduty", routing_key: ROUTING_KEY });
    const hook = await createChannel(s, { kind: "webhook", url: target.url, min_severity: "critical" });
    const host = new URL(target.url).host;
    expect(slack).toMatchObject({ kind: "slack", target_hint: host, min_severity: "warning", enabled: true });
    expect(chat.target_hint).toBe(host);
    expect(pd.target_hint).toBe("events.pagerduty.com");
    expect(hook).toMatchObject({ min_severity: "critical" });
    expect(hook.signing_secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(slack.signing_secret).toBeUndefined();
    for (const c of [slack, chat, pd, hook]) {
      expect(JSON.stringify(c)).not.toContain("secret-part");
      expect(JSON.stringify(c)).not.toContain(ROUTING_KEY);
    }
    for (const [c, plain] of [
      [slack, "slack-secret-part"],
      [chat, "chat-secret"],
      [pd, ROUTING_KEY],
      [hook, hook.signing_secret ?? "?"],
    ] as const) {
      const row = await rawRow(c.id);
      expect(String(row?.secret_cipher)).toMatch(/^v1\./);
      expect(JSON.stringify(row)).not.toContain(plain);
      expect(JSON.stringify(row)).not.toContain(target.url);
    }
    const listed = (await (await as(s, CHANNELS)).json()) as { data: { id: string }[] };
    expect(listed.data.map((c) => c.id)).toEqual([slack.id, chat.id, pd.id, hook.id]);
    const events = await auditOf(s.tenantId);
    expect(events.map((e) => e.event_type)).toEqual(Array(4).fill("alert_channel.created"));
    for (const e of events) {
      expect(e.body).not.toContain("secret");
      expect(e.body).not.toContain(ROUTING_KEY);
      expect(e.body).not.toContain(target.url);
    }
  });

  it("updates routing and credentials, audits before/after without secrets, and deletes", async () => {
    const s = await signup();
    const target = sink("patch");
    const pd = await createChannel(s, { kind: "pagerduty", routing_key: ROUTING_KEY, url: target.url });
    const newKey = "Z9876543210fedcba9876543210fedcb";
    const res = await as(s, `${CHANNELS}/${pd.id}`, {
      method: "PATCH",
      json: { name: "On-call", min_severity: "critical", routing_key: newKey },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "On-call", min_severity: "critical" });
    expect(JSON.stringify(await rawRow(pd.id))).not.toContain(newKey);
    const [, updated] = await auditOf(s.tenantId);
    const body = JSON.parse(updated?.body ?? "{}") as { changes: unknown; metadata: unknown };
    expect(updated?.event_type).toBe("alert_channel.updated");
    expect(body.changes).toEqual({
      before: { name: pd.name, min_severity: "warning" },
      after: { name: "On-call", min_severity: "critical" },
    });
    expect(body.metadata).toEqual({ credentials_replaced: true });
    expect(updated?.body).not.toContain(newKey);

    const wrongKind = await createChannel(s, { kind: "slack", url: target.url });
    await expect400(
      await as(s, `${CHANNELS}/${wrongKind.id}`, { method: "PATCH", json: { routing_key: newKey } }),
      ["routing_key"],
    );

    expect((await as(s, `${CHANNELS}/${pd.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await as(s, `${CHANNELS}/${pd.id}`)).status).toBe(404);
    expect((await auditOf(s.tenantId)).map((e) => e.event_type)).toContain("alert_channel.deleted");
  });

  it("sends a test notice on demand and records what the channel answered", async () => {
    const s = await signup();
    const good = sink("test-ok");
    const bad = sink("test-bad");
    await bad.script([{ status: 404, body: "no_service" }]);
    const ok = await createChannel(s, { kind: "slack", url: good.url });
    const broken = await createChannel(s, { kind: "slack", url: bad.url });
    const r1 = await as(s, `${CHANNELS}/${ok.id}/test`, { method: "POST" });
    expect(await r1.json()).toEqual({ ok: true, status: 200, error: null });
    const [req] = await good.requests();
    expect(JSON.parse(req?.body ?? "{}").attachments[0].title).toBe("[INFO] spike: audittrail.test");
    const r2 = await as(s, `${CHANNELS}/${broken.id}/test`, { method: "POST" });
    expect(await r2.json()).toEqual({ ok: false, status: 404, error: "HTTP 404: no_service" });
    const shown = (await (await as(s, `${CHANNELS}/${broken.id}`)).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({
      last_status: 404,
      last_error: "HTTP 404: no_service",
      last_success_at: null,
    });
    expect(shown.last_attempt_at).not.toBeNull();

    const pdSink = sink("test-pd");
    const pd = await createChannel(s, { kind: "pagerduty", routing_key: ROUTING_KEY, url: pdSink.url });
    const r3 = await as(s, `${CHANNELS}/${pd.id}/test`, { method: "POST" });
    expect((await r3.json()) as { ok: boolean }).toMatchObject({ ok: true });
    const pdReqs = (await pdSink.requests()).map((r) => JSON.parse(r.body) as Record<string, string>);
    expect(pdReqs.map((b) => b.event_action)).toEqual(["trigger", "resolve"]);
    expect(pdReqs[0]?.dedup_key).toBe(pdReqs[1]?.dedup_key);
    expect((await auditOf(s.tenantId)).filter((e) => e.event_type === "alert_channel.tested")).toHaveLength(
      3,
    );
  });

  it("lists a channel's recent deliveries with status, attempts and last error", async () => {
    const s = await signup();
    const target = sink("deliveries");
    const tenv = testEnv();
    const channel = await createChannel(s, { kind: "webhook", url: target.url, min_severity: "info" });
    const event = alertEvent();
    await notifyChannels(tenantOf(s, tenv), [trigger(event)]);
    const [row] = await deliveriesOf(channel.id);
    const res = await as(s, `${CHANNELS}/${channel.id}/deliveries`);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Record<string, unknown>[] };
    expect(data).toEqual([
      {
        id: row?.id,
        event_id: event.id,
        notice_key: `${event.id}:new`,
        action: "trigger",
        status: "pending",
        attempts: 0,
        next_attempt_at: expect.any(String),
        last_status: null,
        last_error: null,
        created_at: expect.any(String),
        delivered_at: null,
      },
    ]);
  });

  it("refuses http and private hosts unless private outbound is allowed", async () => {
    const s = await signup();
    const strict = { ...testEnv(), OUTBOUND_ALLOW_PRIVATE: "false" } as Env;
    for (const url of [
      "http://hooks.example.com/x",
      "https://127.0.0.1/hook",
      "https://10.1.2.3/",
      "https://metadata.internal/",
    ]) {
      const res = await api(strict, s, CHANNELS, { method: "POST", json: { kind: "slack", name: "x", url } });
      await expect400(res, ["url"]);
    }
    const pd = await api(strict, s, CHANNELS, {
      method: "POST",
      json: { kind: "pagerduty", name: "pd", routing_key: ROUTING_KEY, url: "https://192.168.1.1/enqueue" },
    });
    await expect400(pd, ["url"]);
    expect(await countRows(s.tenantId)).toBe(0);
    const fine = await api(strict, s, CHANNELS, {
      method: "POST",
      json: { kind: "slack", name: "x", url: "https://hooks.slack.com/services/T000/B000/XXXX" },
    });
    expect(fine.status).toBe(201);
  });

  it("refuses to store credentials without SECRETS_KEY", async () => {
    const s = await signup();
    const keyless = { ...testEnv(), SECRETS_KEY: "" } as Env;
    const res = await api(keyless, s, CHANNELS, {
      method: "POST",
      json: { kind: "slack", name: "x", url: sink("keyless").url },
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toMatchObject({
      code: "secrets_key_missing",
      message: "This server has no SECRETS_KEY, so it cannot store alert channel credentials",
    });
    expect(await countRows(s.tenantId)).toBe(0);
  });

  it("rejects bad input with field paths and writes nothing", async () => {
    const s = await signup();
    const url = sink("bad").url;
    const post = (json: unknown) => as(s, CHANNELS, { method: "POST", json });
    await expect400(await post({ kind: "slack", name: "x", url, extra: 1 }), ["(root)"]);
    await expect400(await post({ kind: "teams", name: "x", url }), ["kind"]);
    await expect400(await post({ kind: "slack", name: "", url }), ["name"]);
    await expect400(await post({ kind: "slack", name: "x".repeat(101), url }), ["name"]);
    await expect400(await post({ kind: "slack", name: "x", url, min_severity: "urgent" }), ["min_severity"]);
    await expect400(await post({ kind: "pagerduty", name: "x", routing_key: "short" }), ["routing_key"]);
    await expect400(
      await post({ kind: "slack", name: "x", url: `https://a.example.com/${"x".repeat(2100)}` }),
      ["url"],
    );
    await expect400(await post({ kind: "webhook", name: "x", url: "not a url" }), ["url"]);
    expect(await countRows(s.tenantId)).toBe(0);
    const c = await createChannel(s, { kind: "slack", url });
    await expect400(await as(s, `${CHANNELS}/${c.id}`, { method: "PATCH", json: { enabled: "yes" } }), [
      "enabled",
    ]);
    await expect400(await as(s, `${CHANNELS}/${c.id}`, { method: "PATCH", json: { kind: "webhook" } }), [
      "(root)",
    ]);
    expect(await auditOf(s.tenantId)).toHaveLength(1);
  });

  it("is for owners and admins signed in: viewers, members and API keys are refused", async () => {
    const owner = await signup();
    const channel = await createChannel(owner, { kind: "slack", url: sink("roles").url });
    const viewer = await inviteViewer(owner, "viewer");
    const member = await inviteViewer(owner, "member");
    const admin = await inviteViewer(owner, "admin");
    for (const who of [viewer, member] as Session[]) {
      expect((await as(who, CHANNELS)).status).toBe(403);
      expect((await as(who, `${CHANNELS}/${channel.id}/test`, { method: "POST" })).status).toBe(403);
      expect(
        (await as(who, CHANNELS, { method: "POST", json: { kind: "slack", name: "x", url: sink().url } }))
          .status,
      ).toBe(403);
    }
    expect((await as(admin, CHANNELS)).status).toBe(200);
    const { key } = await createKey(owner, ["read", "ingest", "audit:write"]);
    const byKey = await withKey(key, CHANNELS);
    expect([401, 403]).toContain(byKey.status);
    expect(await countRows(owner.tenantId)).toBe(1);
  });

  it("answers 404 for another tenant's channel and leaves it alone", async () => {
    const a = await signup();
    const b = await signup();
    const target = sink("tenant-a");
    const channel = await createChannel(a, { kind: "slack", url: target.url });
    const path = `${CHANNELS}/${channel.id}`;
    expect((await as(b, path)).status).toBe(404);
    expect((await as(b, path, { method: "PATCH", json: { enabled: false } })).status).toBe(404);
    expect((await as(b, `${path}/test`, { method: "POST" })).status).toBe(404);
    expect((await as(b, `${path}/deliveries`)).status).toBe(404);
    expect((await as(b, path, { method: "DELETE" })).status).toBe(404);
    expect((await (await as(b, CHANNELS)).json()) as { data: unknown[] }).toEqual({ data: [] });
    expect(await target.requests()).toEqual([]);
    expect((await as(a, path)).status).toBe(200);
    expect((await rawRow(channel.id))?.enabled).toBe(1);
  });
});
