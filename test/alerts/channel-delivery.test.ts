import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { notifyChannels } from "../../worker/alerts/channels/notify";
import { sweepAlertDeliveries } from "../../worker/alerts/channels/sweep";
import { tenantContext } from "../../worker/db/client";
import { sink, verifySignature } from "../audit/siem/harness";
import { as, signup, signupOn } from "../helpers";
import {
  APP_URL,
  alertEvent,
  backoffElapsed,
  createChannel,
  deliveriesOf,
  drive,
  eventually,
  resolve,
  tenantOf,
  testEnv,
  trigger,
  waitForRequests,
} from "./channel-harness";

const json = (r: { body: string }) => JSON.parse(r.body) as Record<string, unknown>;
const PD_ACCEPTED = {
  status: 202,
  body: JSON.stringify({ status: "success", message: "Event processed", dedup_key: "x" }),
  headers: { "content-type": "application/json" },
};
const ROUTING_KEY = "R0123456789abcdef0123456789abcde";

describe("alert channel formats, delivered through the alerts queue", () => {
  it("posts a Slack incoming-webhook message with a coloured attachment and an Open dashboard button", async () => {
    const s = await signup();
    const target = sink("slack");
    await createChannel(s, { kind: "slack", url: target.url, min_severity: "info" });
    const event = alertEvent({ severity: "critical" });
    await notifyChannels(tenantOf(s), [trigger(event)]);
    const [req] = await waitForRequests(target.requests, 1);
    expect(req?.method).toBe("POST");
    expect(req?.headers["content-type"]).toBe("application/json");
    const link = `${APP_URL()}${event.link}`;
    const body = json(req ?? { body: "{}" }) as { text: string; attachments: Record<string, unknown>[] };
    expect(body.text).toContain(event.summary);
    expect(body.attachments).toHaveLength(1);
    const a = body.attachments[0] ?? {};
    expect(a.color).toBe("#d92d20");
    expect(a.title).toBe("[CRITICAL] spike: refunds.issue");
    expect(a.title_link).toBe(link);
    expect(a.text).toBe(event.summary);
    expect(typeof a.fallback).toBe("string");
    expect(a.fields).toEqual([
      { title: "Capability", value: "refunds.issue", short: true },
      { title: "Change", value: "+200.0%", short: true },
      { title: "Window", value: "15m (2026-12-04T10:00:00.000Z – 2026-12-04T10:15:00.000Z)", short: false },
      { title: "Severity", value: "critical", short: true },
      { title: "Observed", value: "180", short: true },
      { title: "Expected", value: "60", short: true },
    ]);
    expect(a.actions).toEqual([{ type: "button", text: "Open dashboard", url: link }]);
    expect(a.ts).toBe(Date.parse(event.updated_at) / 1000);
  });

  it("sends PagerDuty Events API v2 trigger, then resolve with the same dedup_key", async () => {
    const s = await signup();
    const target = sink("pagerduty");
    await target.script([PD_ACCEPTED, PD_ACCEPTED]);
    const channel = await createChannel(s, { kind: "pagerduty", routing_key: ROUTING_KEY, url: target.url });
    const event = alertEvent({ severity: "warning" });
    await notifyChannels(tenantOf(s), [trigger(event)]);
    await waitForRequests(target.requests, 1);
    await notifyChannels(tenantOf(s), [resolve(event)]);
    const [t, r] = await waitForRequests(target.requests, 2);
    const link = `${APP_URL()}${event.link}`;
    expect(json(t ?? { body: "{}" })).toEqual({
      routing_key: ROUTING_KEY,
      event_action: "trigger",
      dedup_key: event.dedup_key,
      payload: {
        summary: `[WARNING] spike: refunds.issue: ${event.summary}`,
        source: "refunds.issue",
        severity: "warning",
        timestamp: event.updated_at,
        component: "refunds.issue",
        group: "audittrail",
        class: "spike",
        custom_details: {
          window: "15m",
          window_start: event.window_start,
          window_end: event.window_end,
          observed: 180,
          expected: 60,
          delta_pct: 200,
          reason: "new",
          event_id: event.id,
        },
      },
      client: "AuditTrail",
      client_url: link,
      links: [{ href: link, text: "Open dashboard" }],
    });
    expect(json(r ?? { body: "{}" })).toEqual({
      routing_key: ROUTING_KEY,
      event_action: "resolve",
      dedup_key: event.dedup_key,
    });
    const delivered = (rows: { status: string }[]) => rows.every((d) => d.status === "delivered");
    const rows = await eventually(() => deliveriesOf(channel.id), delivered);
    expect(rows.map((d) => [d.action, d.status, d.last_status])).toEqual([
      ["trigger", "delivered", 202],
      ["resolve", "delivered", 202],
    ]);
  });

  it("posts a Google Chat cardsV2 card with the facts and an Open dashboard button", async () => {
    const s = await signup();
    const target = sink("chat");
    await createChannel(s, { kind: "google_chat", url: target.url });
    const event = alertEvent({ severity: "warning", delta_pct: -35.25, detector: "error_surge" });
    await notifyChannels(tenantOf(s), [trigger(event)]);
    const [req] = await waitForRequests(target.requests, 1);
    expect(req?.headers["content-type"]).toBe("application/json; charset=UTF-8");
    const link = `${APP_URL()}${event.link}`;
    const body = json(req ?? { body: "{}" });
    expect(body.text).toBe(`[WARNING] error surge: refunds.issue: ${event.summary}`);
    expect(body.cardsV2).toEqual([
      {
        cardId: `alert-${event.id}`.slice(0, 64),
        card: {
          header: { title: "[WARNING] error surge: refunds.issue", subtitle: "warning · error surge · new" },
          sections: [
            {
              widgets: [
                { textParagraph: { text: event.summary } },
                { decoratedText: { topLabel: "Capability", text: "refunds.issue" } },
                { decoratedText: { topLabel: "Change", text: "-35.3%" } },
                {
                  decoratedText: {
                    topLabel: "Window",
                    text: "15m (2026-12-04T10:00:00.000Z – 2026-12-04T10:15:00.000Z)",
                  },
                },
                { decoratedText: { topLabel: "Severity", text: "warning" } },
                { decoratedText: { topLabel: "Observed", text: "180" } },
                { decoratedText: { topLabel: "Expected", text: "60" } },
                {
                  buttonList: { buttons: [{ text: "Open dashboard", onClick: { openLink: { url: link } } }] },
                },
              ],
            },
          ],
        },
      },
    ]);
  });

  it("posts signed JSON to a generic webhook; the HMAC-SHA256 signature verifies", async () => {
    const s = await signup();
    const target = sink("webhook");
    const channel = await createChannel(s, { kind: "webhook", url: target.url });
    const event = alertEvent();
    const notice = trigger(event);
    await notifyChannels(tenantOf(s), [notice]);
    const [req] = await waitForRequests(target.requests, 1);
    const [row] = await deliveriesOf(channel.id);
    expect(req?.headers["x-audittrail-delivery"]).toBe(row?.id);
    expect(req?.headers["x-audittrail-channel"]).toBe(channel.id);
    expect(req?.headers["user-agent"]).toBe("AuditTrail-Alerts/1");
    const t = await verifySignature(
      channel.signing_secret ?? "",
      req?.headers["x-audittrail-signature"],
      req?.body ?? "",
    );
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);
    expect(json(req ?? { body: "{}" })).toEqual({
      type: "alert.trigger",
      reason: "new",
      notice_key: notice.key,
      delivery_id: row?.id,
      channel_id: channel.id,
      dashboard_url: `${APP_URL()}${event.link}`,
      event,
    });
    // A wrong secret does not verify.
    await expect(
      verifySignature("whsec_wrong", req?.headers["x-audittrail-signature"], req?.body ?? ""),
    ).rejects.toThrow();
  });
});

describe("alert channels on a tenant shard", () => {
  it("delivers for a tenant whose data lives on the second data database", async () => {
    const s = await signupOn("DB2");
    const target = sink("shard");
    await createChannel(s, { kind: "slack", url: target.url });
    const tenant = tenantContext(env, { id: s.tenantId, name: "shard", dataDb: "DB2" });
    await notifyChannels(tenant, [trigger(alertEvent())]);
    expect(await waitForRequests(target.requests, 1)).toHaveLength(1);
    const row = await eventually(
      () =>
        env.DB2.prepare("SELECT status FROM alert_deliveries WHERE tenant_id = ?")
          .bind(s.tenantId)
          .first<{ status: string }>(),
      (r) => r?.status === "delivered",
    );
    expect(row?.status).toBe("delivered");
  });
});

describe("alert routing, retries and idempotency", () => {
  it("routes by min severity, and sends a resolve only where its trigger went", async () => {
    const s = await signup();
    const [info, warning, critical] = [sink("info"), sink("warning"), sink("critical")];
    const tenv = testEnv();
    const channels = {
      info: await createChannel(s, { kind: "webhook", url: info.url, min_severity: "info" }),
      warning: await createChannel(s, { kind: "webhook", url: warning.url, min_severity: "warning" }),
      critical: await createChannel(s, { kind: "webhook", url: critical.url, min_severity: "critical" }),
    };
    const event = alertEvent({ severity: "warning" });
    await notifyChannels(tenantOf(s, tenv), [trigger(event)]);
    await notifyChannels(tenantOf(s, tenv), [resolve(event)]);
    const sent = tenv.ALERTS_QUEUE.take();
    expect(sent).toHaveLength(4);
    expect((await deliveriesOf(channels.info.id)).map((d) => d.action)).toEqual(["trigger", "resolve"]);
    expect((await deliveriesOf(channels.warning.id)).map((d) => d.action)).toEqual(["trigger", "resolve"]);
    expect(await deliveriesOf(channels.critical.id)).toEqual([]);
    const infoEvent = alertEvent({ severity: "info" });
    await notifyChannels(tenantOf(s, tenv), [trigger(infoEvent)]);
    expect(tenv.ALERTS_QUEUE.take()).toHaveLength(1);
    expect((await deliveriesOf(channels.info.id)).length).toBe(3);
  });

  it("retries with exponential backoff after a 500, then delivers once", async () => {
    const s = await signup();
    const target = sink("retry");
    await target.script([{ status: 500, body: "boom" }, { status: 503 }]);
    const tenv = testEnv();
    const channel = await createChannel(s, { kind: "slack", url: target.url });
    await notifyChannels(tenantOf(s, tenv), [trigger(alertEvent())]);
    const [message] = tenv.ALERTS_QUEUE.take();
    if (!message) throw new Error("nothing queued");

    const first = await drive(tenv, [message]);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.delays).toEqual([10]);
    let [row] = await deliveriesOf(channel.id);
    expect(row).toMatchObject({
      status: "pending",
      attempts: 1,
      last_status: 500,
      last_error: "HTTP 500: boom",
    });
    expect((row?.next_attempt_at ?? 0) - Date.now()).toBeGreaterThan(8_000);

    // The same message again before its backoff is over sends nothing.
    await drive(tenv, [message], 2);
    expect(await target.requests()).toHaveLength(1);

    await backoffElapsed(channel.id);
    const second = await drive(tenv, [message], 2);
    expect(second.delays).toEqual([20]);
    await backoffElapsed(channel.id);
    const third = await drive(tenv, [message], 3);
    expect(third.explicitAcks).toHaveLength(1);
    [row] = await deliveriesOf(channel.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 3, last_status: 200, last_error: null });

    const requests = await target.requests();
    expect(requests.map((r) => r.answered)).toEqual(["500", "503", "200"]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    const shown = (await (await as(s, `/api/v1/alerts/channels/${channel.id}`)).json()) as {
      last_status: number;
      last_error: string | null;
      last_success_at: string | null;
    };
    expect(shown).toMatchObject({ last_status: 200, last_error: null });
    expect(shown.last_success_at).not.toBeNull();
  });

  it("tries waiting deliveries again at once when the channel gets a new URL", async () => {
    const s = await signup();
    const [broken, fixed] = [sink("old-url"), sink("new-url")];
    await broken.script([{ status: 404, body: "no_service" }]);
    const tenv = testEnv();
    const channel = await createChannel(s, { kind: "slack", url: broken.url });
    await notifyChannels(tenantOf(s, tenv), [trigger(alertEvent())]);
    const first = await drive(tenv, tenv.ALERTS_QUEUE.take());
    expect(first.delays).toEqual([10]);
    const patched = await as(s, `/api/v1/alerts/channels/${channel.id}`, {
      method: "PATCH",
      json: { url: fixed.url },
    });
    expect(patched.status).toBe(200);
    // The PATCH queued the delivery on the real queue; the Worker's consumer sends it.
    expect(await waitForRequests(fixed.requests, 1)).toHaveLength(1);
    const [row] = await eventually(
      () => deliveriesOf(channel.id),
      (rows) => rows[0]?.status === "delivered",
    );
    expect(row).toMatchObject({ status: "delivered", attempts: 2, last_status: 200 });
  });

  it("holds a resolve back while its trigger to the same channel is still being retried", async () => {
    const s = await signup();
    const target = sink("ordered");
    await target.script([{ status: 502 }, PD_ACCEPTED, PD_ACCEPTED]);
    const tenv = testEnv();
    const channel = await createChannel(s, { kind: "pagerduty", routing_key: ROUTING_KEY, url: target.url });
    const event = alertEvent();
    await notifyChannels(tenantOf(s, tenv), [trigger(event)]);
    const [triggerMessage] = tenv.ALERTS_QUEUE.take();
    if (!triggerMessage) throw new Error("nothing queued");
    expect((await drive(tenv, [triggerMessage])).delays).toEqual([10]);
    await notifyChannels(tenantOf(s, tenv), [resolve(event)]);
    const [resolveMessage] = tenv.ALERTS_QUEUE.take();
    if (!resolveMessage) throw new Error("nothing queued");
    expect((await drive(tenv, [resolveMessage])).delays).toEqual([5]);
    expect(await target.requests()).toHaveLength(1);
    await backoffElapsed(channel.id);
    await drive(tenv, [triggerMessage], 2);
    await drive(tenv, [resolveMessage], 2);
    const actions = (await target.requests()).map(
      (r) => (JSON.parse(r.body) as { event_action: string }).event_action,
    );
    expect(actions).toEqual(["trigger", "trigger", "resolve"]);
  });

  it("does not send or retry what was queued for a channel since disabled", async () => {
    const s = await signup();
    const target = sink("paused");
    const tenv = testEnv();
    const channel = await createChannel(s, { kind: "slack", url: target.url });
    await notifyChannels(tenantOf(s, tenv), [trigger(alertEvent())]);
    const paused = await as(s, `/api/v1/alerts/channels/${channel.id}`, {
      method: "PATCH",
      json: { enabled: false },
    });
    expect(paused.status).toBe(200);
    const result = await drive(tenv, tenv.ALERTS_QUEUE.take());
    expect(result.explicitAcks).toHaveLength(1);
    const [row] = await deliveriesOf(channel.id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, last_error: "the channel is disabled" });
    expect(await target.requests()).toEqual([]);
    await notifyChannels(tenantOf(s, tenv), [trigger(alertEvent())]);
    expect(tenv.ALERTS_QUEUE.take()).toEqual([]);
  });

  it("marks a delivery failed after the last attempt", async () => {
    const s = await signup();
    const target = sink("gives-up");
    await target.script(Array.from({ length: 10 }, () => ({ status: 500 })));
    const tenv = testEnv();
    const channel = await createChannel(s, { kind: "google_chat", url: target.url });
    await notifyChannels(tenantOf(s, tenv), [trigger(alertEvent())]);
    const [message] = tenv.ALERTS_QUEUE.take();
    if (!message) throw new Error("nothing queued");
    const delays: (number | undefined)[] = [];
    for (let i = 1; i <= 8; i++) {
      const r = await drive(tenv, [message], i);
      delays.push(r.delays[0]);
      await backoffElapsed(channel.id);
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, undefined]);
    const [row] = await deliveriesOf(channel.id);
    expect(row).toMatchObject({ status: "failed", attempts: 8, last_status: 500 });
    await drive(tenv, [message], 9);
    expect(await target.requests()).toHaveLength(8);
  });

  it("delivers a notice handed over twice once, and a redelivered message sends nothing", async () => {
    const s = await signup();
    const target = sink("idempotent");
    const tenv = testEnv();
    const channel = await createChannel(s, { kind: "webhook", url: target.url });
    const notice = trigger(alertEvent());
    await notifyChannels(tenantOf(s, tenv), [notice]);
    await notifyChannels(tenantOf(s, tenv), [notice, notice]);
    const sent = tenv.ALERTS_QUEUE.take();
    expect(sent).toHaveLength(1);
    expect(await deliveriesOf(channel.id)).toHaveLength(1);
    const [message] = sent;
    if (!message) throw new Error("nothing queued");
    await drive(tenv, [message, message]);
    await drive(tenv, [message], 2);
    expect(await target.requests()).toHaveLength(1);
  });

  it("re-queues a pending delivery whose queue message was lost", async () => {
    const s = await signup();
    const target = sink("lost");
    const tenv = testEnv();
    const channel = await createChannel(s, { kind: "slack", url: target.url });
    await notifyChannels(tenantOf(s, tenv), [trigger(alertEvent())]);
    tenv.ALERTS_QUEUE.take(); // lost
    const [row] = await deliveriesOf(channel.id);
    expect(await sweepAlertDeliveries(tenv, Date.now())).toBe(0); // not yet overdue
    await sweepAlertDeliveries(tenv, Date.now() + 31_000);
    const again = tenv.ALERTS_QUEUE.take().filter((m) => m.delivery_id === row?.id);
    expect(again).toEqual([{ tenant_id: s.tenantId, delivery_id: row?.id }]);
    await drive(tenv, again);
    expect(await target.requests()).toHaveLength(1);
  });
});
