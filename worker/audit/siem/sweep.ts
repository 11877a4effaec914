/**
 * Every minute (cron): the safety net for lost or exhausted queue messages. Re-kicks enabled,
 * unleased endpoints that are behind and due, and that have not been attempted in the last 30 s
 * (a healthy endpoint's pending message normally lands within a second or two). A duplicate
 * message costs nothing: the lease and the cursor compare-and-set make it a no-op.
 */
import { dataDatabases } from "../../db/client";
import type { SiemMessage } from "./schemas";

const QUIET_MS = 30_000;
const MAX_PER_SWEEP = 1000;

export async function sweepSiem(env: Env, now = Date.now()): Promise<number> {
  let sent = 0;
  // Endpoints live with their tenant's log, on its data database.
  for (const shard of dataDatabases(env)) sent += await sweepShard(env, shard.d1, now);
  return sent;
}

async function sweepShard(env: Env, db: D1Database, now: number): Promise<number> {
  const { results } = await db
    .prepare(
      `SELECT e.id, e.tenant_id FROM siem_endpoints e
     WHERE e.enabled = 1
       AND (e.lease_until IS NULL OR e.lease_until <= ?1)
       AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?1)
       AND (e.last_attempt_at IS NULL OR e.last_attempt_at <= ?2)
       AND e.cursor_seq < (SELECT COALESCE(MAX(a.seq), 0) FROM audit_events a WHERE a.tenant_id = e.tenant_id)
     LIMIT ?3`,
    )
    .bind(now, now - QUIET_MS, MAX_PER_SWEEP)
    .all<{ id: string; tenant_id: string }>();
  const messages = results.map((r) => ({
    body: { tenant_id: r.tenant_id, endpoint_id: r.id } satisfies SiemMessage,
  }));
  for (let i = 0; i < messages.length; i += 100) await env.SIEM_QUEUE.sendBatch(messages.slice(i, i + 100));
  return messages.length;
}
