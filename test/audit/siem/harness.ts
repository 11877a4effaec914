/**
 * SIEM test harness (runs in workerd). Requests go through the Worker with an env whose SIEM_QUEUE
 * is a recorder, so no real queue consumer delivers behind a test's back: tests drive the consumer
 * themselves with the messages a kick produced (`worker.queue(createMessageBatch(…))`).
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  type QueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import type { SiemMessage } from "../../../worker/audit/siem/schemas";
import worker from "../../../worker/index";
import { BASE, type Session, unique } from "../../helpers";

export type Action =
  | { status: number; body?: string; headers?: Record<string, string>; delay_ms?: number }
  | { hang: true }
  | { reset: true };

export type Received = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  received_at: number;
  answered: string;
};

const port = () => inject("siemReceiverPort");

/** One sink on the local HTTPS receiver (test/audit/siem/receiver.ts). */
export function sink(label = "sink") {
  const id = unique(label).replace(/[^\w-]/g, "-");
  const control = (what: string) => `https://127.0.0.1:${port()}/control/${id}/${what}`;
  return {
    id,
    url: `https://127.0.0.1:${port()}/sink/${id}`,
    async script(actions: Action[]) {
      const res = await fetch(control("script"), { method: "POST", body: JSON.stringify(actions) });
      expect(res.status).toBe(204);
    },
    async requests(): Promise<Received[]> {
      return (await (await fetch(control("requests"))).json()) as Received[];
    },
  };
}

export type Sent = SiemMessage & { delaySeconds?: number };
export type FakeQueue = Queue & { sent: Sent[]; take(): Sent[] };

/** Records what would be queued; `take()` empties it. */
export function fakeQueue(): FakeQueue {
  const sent: Sent[] = [];
  const q = {
    sent,
    async send(body: unknown, options?: QueueSendOptions) {
      sent.push({
        ...(body as SiemMessage),
        ...(options?.delaySeconds ? { delaySeconds: options.delaySeconds } : {}),
      });
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      for (const m of messages) {
        sent.push({
          ...(m.body as SiemMessage),
          ...(m.delaySeconds ? { delaySeconds: m.delaySeconds } : {}),
        });
      }
    },
    take() {
      return sent.splice(0, sent.length);
    },
  };
  return q as unknown as FakeQueue;
}

/** Distinct messages (a kick and an explicit wake-up may both name an endpoint). */
export function distinct(messages: Sent[]): Sent[] {
  const seen = new Map<string, Sent>();
  for (const m of messages) seen.set(JSON.stringify(m), m);
  return [...seen.values()];
}

/** The recorder wakes SIEM delivery at most once per tenant per 250 ms per isolate. */
export const pastWakeWindow = () => new Promise((r) => setTimeout(r, 300));

export type TestEnv = Env & { SIEM_QUEUE: FakeQueue };

export function testEnv(overrides: Partial<Record<keyof Env, unknown>> = {}): TestEnv {
  return { ...env, SIEM_QUEUE: fakeQueue(), ...overrides } as TestEnv;
}

/** A request through the Worker with `tenv`, as the signed-in user; waits for its waitUntil work. */
export async function api(
  tenv: Env,
  s: Session | null,
  path: string,
  init: RequestInit & { json?: unknown; bearer?: string } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (s) {
    headers.set("cookie", s.cookie);
    if (init.method && init.method !== "GET") headers.set("x-csrf-token", s.csrf);
  }
  if (init.bearer) headers.set("authorization", `Bearer ${init.bearer}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, { ...init, headers, body }), tenv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Appends `n` events through POST /api/v1/audit/events with an `audit:write` key. */
export async function appendEvents(tenv: Env, key: string, n: number, label = "refund.initiate") {
  const events = Array.from({ length: n }, (_, i) => ({
    event_type: label,
    crud: "c",
    actor: { type: "user", id: "u_siem", display: "SIEM tester" },
    target: [{ type: "order", id: `ord_${i}` }],
    metadata: { i },
  }));
  const res = await api(tenv, null, "/api/v1/audit/events", {
    method: "POST",
    json: { events },
    bearer: key,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { event_id: string; seq: number }[] }).data;
}

let messageCounter = 0;

/**
 * Runs the Worker's queue handler on these messages, as the `audittrail-siem` queue would.
 * `createMessageBatch` records that a message was retried but not the delay asked for, so each
 * message is wrapped to capture `retry({ delaySeconds })`.
 */
export async function drive(
  tenv: Env,
  messages: (SiemMessage & { attempts?: number; id?: string })[],
): Promise<QueueResult & { ids: string[]; delays: Record<string, number | undefined> }> {
  const ids = messages.map((m) => m.id ?? `siem-msg-${++messageCounter}`);
  const batch = createMessageBatch<SiemMessage>(
    "audittrail-siem",
    messages.map((m, i) => ({
      id: ids[i] ?? "",
      timestamp: new Date(),
      attempts: m.attempts ?? 1,
      body: { tenant_id: m.tenant_id, endpoint_id: m.endpoint_id },
    })),
  );
  const delays: Record<string, number | undefined> = {};
  const spied = batch.messages.map((m) => ({
    id: m.id,
    timestamp: m.timestamp,
    body: m.body,
    attempts: m.attempts,
    ack: () => m.ack(),
    retry: (options?: QueueRetryOptions) => {
      delays[m.id] = options?.delaySeconds;
      m.retry(options);
    },
  }));
  const ctx = createExecutionContext();
  const wrapped = {
    queue: batch.queue,
    metadata: batch.metadata,
    messages: spied,
    ackAll: () => batch.ackAll(),
    retryAll: (options?: QueueRetryOptions) => batch.retryAll(options),
  };
  await worker.queue(wrapped as unknown as MessageBatch<unknown>, tenv);
  return { ...(await getQueueResult(batch as MessageBatch<unknown>, ctx)), ids, delays };
}

export async function endpointRow(id: string) {
  return env.DB.prepare("SELECT * FROM siem_endpoints WHERE id = ?").bind(id).first<{
    cursor_seq: number;
    delivered_count: number;
    attempts: number;
    last_status: number | null;
    last_error: string | null;
    next_attempt_at: number | null;
    last_attempt_at: number | null;
    last_success_at: number | null;
    lease_token: string | null;
    lease_until: number | null;
    secret_cipher: string;
    enabled: number;
  }>();
}

/** "Time passes": the endpoint's backoff is over. */
export async function backoffElapsed(id: string) {
  await env.DB.prepare("UPDATE siem_endpoints SET next_attempt_at = ? WHERE id = ?")
    .bind(Date.now() - 1, id)
    .run();
}

export async function headSeq(tenantId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COALESCE(MAX(seq), 0) AS head FROM audit_events WHERE tenant_id = ?",
  )
    .bind(tenantId)
    .first<{ head: number }>();
  return row?.head ?? 0;
}

const hex = (buf: ArrayBuffer) =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");

/** What a receiver does: recompute HMAC-SHA256(secret, "<t>.<body>") and compare. */
export async function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
): Promise<number> {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m) throw new Error(`bad signature header ${header}`);
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${m[1]}.${body}`)));
  expect(mac).toBe(m[2]);
  return Number(m[1]);
}

export type WireEvent = { event_id: string; seq: number; tenant_id: string; event_type: string };

export function eventsOf(r: Received): WireEvent[] {
  return (JSON.parse(r.body) as { events: WireEvent[] }).events;
}
