/**
 * The analytics queue: ingest sends one message per stored batch naming the tenant; a consumer
 * batch folds each tenant it names once, however many batches it sent. A repair message
 * recomputes a window first (worker/analytics/repair.ts).
 */
import type { IngestListener } from "../ingest/listeners";
import { foldEnabled, foldTenant } from "./fold";
import { repairWindow } from "./repair";

type RepairMessage = { kind: "repair"; tenantId: string; from: number; to: number };
export type AnalyticsMessage = { kind: "fold"; tenantId: string } | RepairMessage;

/** While another fold holds the tenant's lease, its messages wait this long and come back. */
const BUSY_DELAY_S = 3;

/**
 * Messages are delayed by FOLD_DELAY_S and an isolate sends at most one per tenant per
 * DEBOUNCE_MS: a request skipped here committed before the message sent ahead of it can be
 * delivered, so that message's fold reads it (and the minute sweep is there if it did not).
 */
const FOLD_DELAY_S = 1;
const DEBOUNCE_MS = 500;
const lastSent = new Map<string, number>();

/** The ingest listener (worker/index.ts): the tenant has new or changed traces. */
export const scheduleFold: IngestListener = async (env, stored) => {
  if (!foldEnabled(env) || env.ANALYTICS_FOLD === "cron") return;
  const tenantId = stored.tenant.id;
  const now = Date.now();
  const last = lastSent.get(tenantId);
  if (last !== undefined && now - last < DEBOUNCE_MS) return;
  if (lastSent.size > 10_000) lastSent.clear();
  lastSent.set(tenantId, now);
  await env.ANALYTICS_QUEUE.send({ kind: "fold", tenantId } satisfies AnalyticsMessage, {
    delaySeconds: FOLD_DELAY_S,
  });
};

export async function requestRepair(env: Env, tenantId: string, from: number, to: number): Promise<void> {
  await env.ANALYTICS_QUEUE.send({ kind: "repair", tenantId, from, to } satisfies AnalyticsMessage);
}

function parse(body: unknown): AnalyticsMessage | null {
  const m = body as Partial<AnalyticsMessage> | null;
  if (!m || typeof m.tenantId !== "string") return null;
  if (m.kind === "fold") return { kind: "fold", tenantId: m.tenantId };
  if (m.kind === "repair" && typeof m.from === "number" && typeof m.to === "number") {
    return { kind: "repair", tenantId: m.tenantId, from: m.from, to: m.to };
  }
  return null;
}

export async function consumeAnalyticsBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const byTenant = new Map<string, { messages: Message<unknown>[]; repairs: RepairMessage[] }>();
  for (const message of batch.messages) {
    const m = parse(message.body);
    if (!m) {
      console.error("analytics: dropping a malformed message", message.body);
      message.ack();
      continue;
    }
    const entry = byTenant.get(m.tenantId) ?? { messages: [], repairs: [] };
    entry.messages.push(message);
    if (m.kind === "repair") entry.repairs.push(m);
    byTenant.set(m.tenantId, entry);
  }
  for (const [tenantId, { messages, repairs }] of byTenant) {
    try {
      for (const r of repairs) await repairWindow(env, tenantId, r.from, r.to);
      const result = await foldTenant(env, tenantId);
      if (result.busy) {
        for (const m of messages) m.retry({ delaySeconds: BUSY_DELAY_S });
        continue;
      }
      if (result.more) await env.ANALYTICS_QUEUE.send({ kind: "fold", tenantId } satisfies AnalyticsMessage);
      for (const m of messages) m.ack();
    } catch (err) {
      console.error(`analytics fold failed for tenant ${tenantId}`, err);
      for (const m of messages) m.retry({ delaySeconds: BUSY_DELAY_S });
    }
  }
}
