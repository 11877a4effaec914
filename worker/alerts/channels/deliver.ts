/**
 * One attempt at one delivery. The attempt is claimed first with a conditional UPDATE (pending,
 * due, and for a resolve no trigger to the same channel still pending, so PagerDuty never sees a
 * resolve overtaken by its trigger): the claim pushes `next_attempt_at` a lease ahead, so a
 * redelivered or duplicate queue message finds nothing to claim and sends nothing. A 2xx marks
 * the delivery delivered; a failure schedules the next attempt with exponential backoff, or, after
 * MAX_ATTEMPTS, marks it failed. Both record the outcome on the channel too.
 */
import { auditLogOf } from "../../db/client";
import { render } from "./formats";
import { send } from "./post";
import { openChannelSecret } from "./secret";
import { CHANNEL_COLUMNS, type ChannelRow, type DeliveryRow, parseNotice } from "./store";

export const RETRY = {
  maxAttempts: 8,
  baseDelaySeconds: 10,
  maxDelaySeconds: 3600,
  /** How long a claimed attempt holds the delivery before another message may try again. */
  leaseMs: 60_000,
  /** A retry may arrive this much before its `next_attempt_at` and still count as due. */
  dueToleranceMs: 1_000,
  /** A resolve waiting for its trigger looks again this soon. */
  waitSeconds: 5,
} as const;

/** min(10 s × 2^(attempts−1), 1 h): 10 s, 20 s, 40 s, … */
export function backoffSeconds(attempts: number): number {
  return Math.min(RETRY.baseDelaySeconds * 2 ** Math.max(0, attempts - 1), RETRY.maxDelaySeconds);
}

export type AttemptOutcome =
  | { kind: "skipped" }
  | { kind: "waiting"; delaySeconds: number }
  | { kind: "delivered"; status: number | null }
  | { kind: "retry"; delaySeconds: number; status: number | null; error: string }
  | { kind: "failed"; status: number | null; error: string };

const CLAIM_SQL = `UPDATE alert_deliveries AS d SET attempts = attempts + 1, next_attempt_at = ?1
  WHERE d.tenant_id = ?2 AND d.id = ?3 AND d.status = 'pending'
    AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?4)
    AND NOT (d.action = 'resolve' AND EXISTS (
      SELECT 1 FROM alert_deliveries t WHERE t.tenant_id = d.tenant_id AND t.channel_id = d.channel_id
        AND t.event_id = d.event_id AND t.action = 'trigger' AND t.status = 'pending'))
  RETURNING *`;

async function claim(db: D1Database, tenantId: string, id: string, now: number) {
  return db
    .prepare(CLAIM_SQL)
    .bind(now + RETRY.leaseMs, tenantId, id, now + RETRY.dueToleranceMs)
    .first<DeliveryRow>();
}

/** Not claimed: a resolve behind its pending trigger waits; anything else is not ours to send. */
async function whyNotClaimed(db: D1Database, tenantId: string, id: string, now: number) {
  const row = await db
    .prepare("SELECT action, status, next_attempt_at FROM alert_deliveries WHERE tenant_id = ? AND id = ?")
    .bind(tenantId, id)
    .first<Pick<DeliveryRow, "action" | "status" | "next_attempt_at">>();
  const due =
    row?.next_attempt_at === null || (row?.next_attempt_at ?? Infinity) <= now + RETRY.dueToleranceMs;
  if (row?.status === "pending" && row.action === "resolve" && due) {
    return { kind: "waiting", delaySeconds: RETRY.waitSeconds } as const;
  }
  return { kind: "skipped" } as const;
}

type Result = { ok: boolean; status: number | null; error: string | null };

function outcomeOf(d: DeliveryRow, r: Result, giveUp: boolean): AttemptOutcome {
  if (r.ok) return { kind: "delivered", status: r.status };
  const error = r.error ?? "failed";
  if (giveUp || d.attempts >= RETRY.maxAttempts) return { kind: "failed", status: r.status, error };
  return { kind: "retry", delaySeconds: backoffSeconds(d.attempts), status: r.status, error };
}

/** Records the attempt on the delivery and on its channel. */
async function record(db: D1Database, d: DeliveryRow, r: Result, giveUp: boolean, now: number) {
  const outcome = outcomeOf(d, r, giveUp);
  const status = outcome.kind === "retry" ? "pending" : outcome.kind;
  const next = outcome.kind === "retry" ? now + outcome.delaySeconds * 1000 : null;
  const error = r.ok ? null : (r.error ?? "failed");
  await db.batch([
    db
      .prepare(
        `UPDATE alert_deliveries SET status = ?1, next_attempt_at = ?2, last_status = ?3, last_error = ?4,
           delivered_at = ?5 WHERE tenant_id = ?6 AND id = ?7`,
      )
      .bind(status, next, r.status, error, r.ok ? now : null, d.tenant_id, d.id),
    db
      .prepare(
        `UPDATE alert_channels SET last_status = ?1, last_error = ?2, last_attempt_at = ?3,
           last_success_at = CASE WHEN ?4 THEN ?3 ELSE last_success_at END WHERE tenant_id = ?5 AND id = ?6`,
      )
      .bind(r.status, error, now, r.ok ? 1 : 0, d.tenant_id, d.channel_id),
  ]);
  return outcome;
}

/** Sends one delivery's request; never throws for the receiver's sake (only for our database's). */
async function attempt(env: Env, d: DeliveryRow, channel: ChannelRow | null): Promise<Result> {
  if (!channel) return { ok: false, status: null, error: "the channel was deleted" };
  if (channel.enabled !== 1) return { ok: false, status: null, error: "the channel is disabled" };
  let secret: Awaited<ReturnType<typeof openChannelSecret>>;
  try {
    secret = await openChannelSecret(env, d.tenant_id, channel.id, channel.secret_cipher);
  } catch {
    return {
      ok: false,
      status: null,
      error: "cannot decrypt the channel's credentials (was SECRETS_KEY changed?)",
    };
  }
  const out = await render(channel.kind, secret, parseNotice(d), {
    channelId: channel.id,
    deliveryId: d.id,
    appUrl: env.APP_URL,
  });
  const result = await send(env, out);
  return { ...result, error: result.error && scrub(result.error, [secret.url, secret.routing_key]) };
}

/** Errors are shown in the API: never with the credential in them. */
export function scrub(text: string, secrets: (string | undefined)[]): string {
  return secrets.reduce<string>((t, s) => (s ? t.replaceAll(s, "[credential]") : t), text);
}

export async function deliverOne(
  env: Env,
  tenantId: string,
  deliveryId: string,
  now: () => number = Date.now,
): Promise<AttemptOutcome> {
  const { d1: db } = await auditLogOf(env, tenantId);
  const d = await claim(db, tenantId, deliveryId, now());
  if (!d) return whyNotClaimed(db, tenantId, deliveryId, now());
  const channel = await db
    .prepare(`SELECT ${CHANNEL_COLUMNS} FROM alert_channels WHERE tenant_id = ? AND id = ?`)
    .bind(tenantId, d.channel_id)
    .first<ChannelRow>();
  const result = await attempt(env, d, channel);
  // A deleted or disabled channel is not retried.
  return record(db, d, result, channel?.enabled !== 1, now());
}
