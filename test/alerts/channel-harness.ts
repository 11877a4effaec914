/**
 * Alert channel test harness (runs in workerd). Channels POST to sinks on the local HTTPS receiver
 * (test/audit/siem/receiver.ts), so tests see the exact bytes our Worker sends over real TLS.
 * Delivery runs either through the real `audittrail-alerts` queue (the Worker's own consumer), or,
 * where a test needs the retry delays, by driving the consumer with the messages a fake queue
 * recorded.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { AlertChannelCreated, AlertDeliveryMessage } from "../../worker/alerts/channels/schemas";
import type { AlertEvent, AlertNotice, Severity } from "../../worker/alerts/schemas";
import { tenantContext } from "../../worker/db/client";
import worker from "../../worker/index";
import type { Received } from "../audit/siem/harness";
import { as, type Session, unique } from "../helpers";

export const CHANNELS = "/api/v1/alerts/channels";

export function alertEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  const id = unique("alert").replace(/[^\w-]/g, "-");
  return {
    id,
    detector: "spike",
    capability: "refunds.issue",
    window: "15m",
    window_start: "2026-12-04T10:00:00.000Z",
    window_end: "2026-12-04T10:15:00.000Z",
    observed: 180,
    expected: 60,
    delta_pct: 200,
    severity: "warning",
    state: "firing",
    summary: "refunds.issue ran 180 times in 15 minutes against 60 expected (+200%)",
    link: "/analytics?tab=capability&capability=refunds.issue",
    dedup_key: `spike:refunds.issue:${id}`,
    fired_at: "2026-12-04T10:15:03.000Z",
    updated_at: "2026-12-04T10:15:03.000Z",
    resolved_at: null,
    acknowledged_at: null,
    acknowledged_by: null,
    notifications: 1,
    ...overrides,
  };
}

export const trigger = (event: AlertEvent, key = `${event.id}:new`): AlertNotice => ({
  event,
  action: "trigger",
  reason: "new",
  key,
});

export const resolve = (event: AlertEvent): AlertNotice => ({
  event: { ...event, state: "resolved", resolved_at: "2026-12-04T10:45:00.000Z" },
  action: "resolve",
  reason: "resolved",
  key: `${event.id}:resolved`,
});

/** The tenant's context as the detectors would hold it, over `tenv` (the real env by default). */
export function tenantOf(s: Session, tenv: Env = env) {
  return tenantContext(tenv, { id: s.tenantId, name: "test", dataDb: "DB" });
}

export async function createChannel(s: Session, body: Record<string, unknown>): Promise<AlertChannelCreated> {
  const res = await as(s, CHANNELS, { method: "POST", json: { name: unique("channel"), ...body } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as AlertChannelCreated;
}

export async function waitForRequests(
  read: () => Promise<Received[]>,
  count: number,
  ms = 10_000,
): Promise<Received[]> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await read();
    if (got.length >= count || Date.now() > until) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `read` until `done` holds (the consumer records an attempt just after the receiver saw it). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type FakeAlertsQueue = Queue & { take(): AlertDeliveryMessage[] };

export function fakeAlertsQueue(): FakeAlertsQueue {
  const sent: AlertDeliveryMessage[] = [];
  const q = {
    async send(body: unknown) {
      sent.push(body as AlertDeliveryMessage);
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      for (const m of messages) sent.push(m.body as AlertDeliveryMessage);
    },
    take: () => sent.splice(0, sent.length),
  };
  return q as unknown as FakeAlertsQueue;
}

export const testEnv = () =>
  ({ ...env, ALERTS_QUEUE: fakeAlertsQueue() }) as Env & { ALERTS_QUEUE: FakeAlertsQueue };

let counter = 0;

/** Runs the Worker's queue handler on these messages, capturing `retry({ delaySeconds })`. */
export async function drive(tenv: Env, messages: AlertDeliveryMessage[], attempts = 1) {
  const batch = createMessageBatch<AlertDeliveryMessage>(
    "audittrail-alerts",
    messages.map((body) => ({ id: `alert-msg-${++counter}`, timestamp: new Date(), attempts, body })),
  );
  const delays: (number | undefined)[] = [];
  const spied = batch.messages.map((m, i) => ({
    id: m.id,
    timestamp: m.timestamp,
    body: m.body,
    attempts: m.attempts,
    ack: () => m.ack(),
    retry: (options?: QueueRetryOptions) => {
      delays[i] = options?.delaySeconds;
      m.retry(options);
    },
  }));
  const ctx = createExecutionContext();
  const wrapped = { ...batch, queue: batch.queue, messages: spied, ackAll: () => batch.ackAll() };
  await worker.queue(wrapped as unknown as MessageBatch<unknown>, tenv);
  return { ...(await getQueueResult(batch as MessageBatch<unknown>, ctx)), delays };
}

export type DeliveryDbRow = {
  id: string;
  channel_id: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
  action: string;
};

export async function deliveriesOf(channelId: string): Promise<DeliveryDbRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT * FROM alert_deliveries WHERE channel_id = ? ORDER BY created_at, id",
  )
    .bind(channelId)
    .all<DeliveryDbRow>();
  return results;
}

/** "Time passes": every pending delivery of the channel is due. */
export async function backoffElapsed(channelId: string) {
  await env.DB.prepare(
    "UPDATE alert_deliveries SET next_attempt_at = ? WHERE channel_id = ? AND status = 'pending'",
  )
    .bind(Date.now() - 1, channelId)
    .run();
}

export const severities: Severity[] = ["info", "warning", "critical"];
export const APP_URL = () => (env as unknown as { APP_URL: string }).APP_URL;
