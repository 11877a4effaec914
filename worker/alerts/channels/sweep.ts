/**
 * Every minute (cron): the safety net for lost queue messages. Re-queues pending deliveries that
 * have been due for over 30 s (a healthy delivery's message lands within a second or two of its
 * due time). A duplicate message costs nothing: the claim in deliver.ts lets one attempt through.
 */
import { dataDatabases } from "../../db/client";
import type { AlertDeliveryMessage } from "./schemas";

const QUIET_MS = 30_000;
const MAX_PER_SWEEP = 1000;

export async function sweepAlertDeliveries(env: Env, now = Date.now()): Promise<number> {
  let sent = 0;
  for (const shard of dataDatabases(env)) sent += await sweepShard(env, shard.d1, now);
  return sent;
}

async function sweepShard(env: Env, db: D1Database, now: number): Promise<number> {
  const { results } = await db
    .prepare(
      `SELECT id, tenant_id FROM alert_deliveries
       WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2`,
    )
    .bind(now - QUIET_MS, MAX_PER_SWEEP)
    .all<{ id: string; tenant_id: string }>();
  const messages = results.map((r) => ({
    body: { tenant_id: r.tenant_id, delivery_id: r.id } satisfies AlertDeliveryMessage,
  }));
  for (let i = 0; i < messages.length; i += 100) await env.ALERTS_QUEUE.sendBatch(messages.slice(i, i + 100));
  return messages.length;
}
