/**
 * Wakes SIEM delivery: one queue message per enabled endpoint that is behind the tenant's head,
 * not in backoff and not leased. Called after audit appends (at most one wake-up per tenant per
 * isolate per 250 ms, see recorder.ts), so it is one indexed query and, usually, no message.
 *
 * What a skipped or throttled wake-up misses is picked up by the consumer: after releasing the
 * lease it queues the endpoint again if it is behind, and after every delivery it queues a
 * re-check a few seconds later (`RECHECK_SECONDS`), which outlasts the wake-up window.
 */
import { auditLogOf } from "../../db/client";
import type { SiemMessage } from "./schemas";

export const RECHECK_SECONDS = 2;

const BEHIND_SQL = `SELECT id FROM siem_endpoints
  WHERE tenant_id = ?1 AND enabled = 1
    AND (next_attempt_at IS NULL OR next_attempt_at <= ?2)
    AND (lease_until IS NULL OR lease_until <= ?2)
    AND cursor_seq < (SELECT COALESCE(MAX(seq), 0) FROM audit_events WHERE tenant_id = ?1)`;

export async function enqueueEndpoints(
  env: Env,
  tenantId: string,
  ids: string[],
  delaySeconds?: number,
): Promise<void> {
  // sendBatch takes at most 100 messages per call.
  for (let i = 0; i < ids.length; i += 100) {
    await env.SIEM_QUEUE.sendBatch(
      ids.slice(i, i + 100).map((id) => ({
        body: { tenant_id: tenantId, endpoint_id: id } satisfies SiemMessage,
        ...(delaySeconds ? { delaySeconds } : {}),
      })),
    );
  }
}

export async function kickSiem(env: Env, tenantId: string, now = Date.now()): Promise<void> {
  const { d1: db } = await auditLogOf(env, tenantId);
  const { results } = await db.prepare(BEHIND_SQL).bind(tenantId, now).all<{ id: string }>();
  await enqueueEndpoints(
    env,
    tenantId,
    results.map((r) => r.id),
  );
}

/** The same check for one endpoint (after a config change, or after its consumer released the lease). */
export async function kickEndpoint(
  env: Env,
  tenantId: string,
  endpointId: string,
  now = Date.now(),
): Promise<void> {
  const { d1: db } = await auditLogOf(env, tenantId);
  const row = await db
    .prepare(`${BEHIND_SQL} AND id = ?3`)
    .bind(tenantId, now, endpointId)
    .first<{ id: string }>();
  if (row) await enqueueEndpoints(env, tenantId, [row.id]);
}
