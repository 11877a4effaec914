import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { createKey, login, type Session, signup, withKey } from "../../helpers";

export const DAY = 86_400_000;

/** A chat-originated refund by an assistant, with the ai_operation fields. */
export const chatRefund = (over: Record<string, unknown> = {}) => ({
  event_type: "refund.initiate",
  crud: "c",
  actor: { type: "ai_assistant", id: "ai_assistant:u_1", display: "Ops assistant" },
  channel: "chat",
  source_ip: "203.0.113.9",
  user_agent: "ops-bot/1.2",
  target: [{ type: "order", id: "ord_1", name: "Order Ünïcode 1" }],
  metadata: { amount: 62000, currency: "HUF", urgent: true },
  ai: {
    conversation_id: "conv_1",
    message_id: "msg_1",
    prompt: "refund order 1 please",
    tool_name: "refunds.create",
    model: "gpt-x",
  },
  risk: { level: "medium", rules: ["refund_over_50k"] },
  correlation: { request_id: "req_1", trace_id: "trace_1" },
  ...over,
});

/** A manual update by a person whose display name and reason need CSV care. */
export const manualUpdate = (over: Record<string, unknown> = {}) => ({
  event_type: "customer.update",
  crud: "u",
  actor: { type: "user", id: "u_2", display: 'Smith, "Bob"\nJr.' },
  channel: "manual",
  outcome: "failure",
  error: { code: "conflict", message: "stale, version" },
  target: [{ type: "customer", id: "cus_9" }],
  reason: '=HYPERLINK("http://evil.example","click")',
  metadata: { amount: 10, note: "zzz" },
  ...over,
});

/** A delete by an API key, with text starting with - and +. */
export const keyDelete = (over: Record<string, unknown> = {}) => ({
  event_type: "invoice.delete",
  crud: "d",
  actor: { type: "api_key", id: "key_7", display: "-1+2 billing" },
  channel: "api",
  target: [
    { type: "invoice", id: "inv_1" },
    { type: "customer", id: "cus_9" },
  ],
  reason: "+cleanup @ night",
  metadata: { amount: "abc" },
  ...over,
});

/** A read with nothing optional. */
export const plainRead = (over: Record<string, unknown> = {}) => ({
  event_type: "report.view",
  crud: "r",
  actor: { type: "user", id: "u_1" },
  ...over,
});

export type Writer = { s: Session; key: string; password: string };

export async function writer(): Promise<Writer> {
  const s = await signup();
  const { key } = await createKey(s, ["audit:write", "read"]);
  return { s, key, password: "correct horse battery" };
}

export async function post(key: string, events: unknown[]) {
  const res = await withKey(key, "/api/v1/audit/events", { method: "POST", json: { events } });
  if (res.status !== 201) throw new Error(`append failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: { event_id: string; seq: number }[] }).data;
}

/**
 * A tenant whose events were received in the past: the clock is set back for the sign-up and for
 * each batch (received_at is server time), then a fresh session is made at the real time.
 */
export async function tenantWithHistory(batches: { daysAgo: number; events: unknown[] }[]) {
  const now = Date.now();
  const oldest = Math.max(...batches.map((b) => b.daysAgo));
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    vi.setSystemTime(now - oldest * DAY);
    const w = await writer();
    for (const b of [...batches].sort((a, z) => z.daysAgo - a.daysAgo)) {
      vi.setSystemTime(now - b.daysAgo * DAY);
      for (let i = 0; i < b.events.length; i += 100) await post(w.key, b.events.slice(i, i + 100));
    }
    vi.useRealTimers();
    const s = await login(w.s.email, w.password);
    return { ...w, s };
  } finally {
    vi.useRealTimers();
  }
}

export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function gunzipText(bytes: ArrayBuffer): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}

export async function d1Seqs(tenantId: string): Promise<number[]> {
  const { results } = await env.DB.prepare("SELECT seq FROM audit_events WHERE tenant_id = ? ORDER BY seq")
    .bind(tenantId)
    .all<{ seq: number }>();
  return results.map((r) => r.seq);
}

export async function eventsOfType(tenantId: string, type: string) {
  const { results } = await env.DB.prepare(
    "SELECT seq, body FROM audit_events WHERE tenant_id = ? AND event_type = ? ORDER BY seq",
  )
    .bind(tenantId, type)
    .all<{ seq: number; body: string }>();
  return results.map((r) => ({ seq: r.seq, ...(JSON.parse(r.body) as Record<string, unknown>) }));
}

/** RFC 4180 parser for the tests: quoted cells, doubled quotes, CRLF rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
