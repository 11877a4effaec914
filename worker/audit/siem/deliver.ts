/**
 * SIEM delivery: at least once, in seq order, one endpoint at a time.
 *
 * A consumer first takes the endpoint's lease (a conditional UPDATE), so two queue messages for
 * the same endpoint never deliver concurrently. Holding it, it POSTs up to 100 events after
 * `cursor_seq`, and only a 2xx moves the cursor (compare-and-set on the old cursor and the lease).
 * A failure records the attempt and returns a backoff for `message.retry`. Events owed to an
 * endpoint for more than 7 days are skipped, and the skip is itself an audit event
 * (`siem.delivery.gap`), so the loss is visible in the log the SIEM receives.
 */
import { auditLogOf } from "../../db/client";
import { postGuarded } from "../../lib/outbound-post";
import { toOcsf } from "../export/ocsf";
import { type EventRow, rowToEvent, rowToLine } from "../queries";
import { systemRecorder } from "../recorder";
import { enqueueEndpoints, kickEndpoint, RECHECK_SECONDS } from "./kick";
import { decryptSecret, signatureHeader } from "./secret";
import { ENDPOINT_COLUMNS, type EndpointRow, HEAD_SQL } from "./store";

export const DELIVERY = {
  batchEvents: 100,
  /** A request stops growing past this many bytes (it always carries at least one event). */
  maxBodyBytes: 1_000_000,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  bufferMs: 7 * 24 * 3600 * 1000,
  /** Requests per queue message before handing the rest to a new message. */
  roundsPerMessage: 5,
  /** A retry may arrive this much before its `next_attempt_at` and still count as due. */
  dueToleranceMs: 1_000,
  baseDelaySeconds: 10,
  maxDelaySeconds: 3600,
} as const;

export const USER_AGENT = "AuditTrail-SIEM/1";
const encoder = new TextEncoder();

/** min(10 s × 2^(attempts−1), 1 h), plus up to 20 % jitter (so delays still grow strictly). */
export function backoffSeconds(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(DELIVERY.baseDelaySeconds * 2 ** Math.max(0, attempts - 1), DELIVERY.maxDelaySeconds);
  return Math.ceil(base * (1 + 0.2 * random()));
}

export type PostResult = {
  ok: boolean;
  status: number | null;
  error: string | null;
  deliveryId: string;
  durationMs: number;
};

/** One signed POST. Never follows redirects (one could point at a private address). */
export async function postSigned(
  env: Env,
  endpoint: Pick<EndpointRow, "id" | "url">,
  secret: string,
  body: string,
  timeoutMs: number = DELIVERY.timeoutMs,
): Promise<PostResult> {
  const deliveryId = crypto.randomUUID();
  const started = Date.now();
  const headers = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "x-audittrail-signature": await signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
    "x-audittrail-delivery": deliveryId,
    "x-audittrail-endpoint": endpoint.id,
  };
  const sent = await postGuarded(env, endpoint.url, { headers, body }, timeoutMs);
  return { ...sent, deliveryId, durationMs: Date.now() - started };
}

/** `{"events":[…]}` in the endpoint's format, cut at 100 events or ~1 MB. */
export function buildPayload(format: EndpointRow["format"], rows: EventRow[]) {
  const parts: string[] = [];
  let bytes = 13;
  let lastSeq = 0;
  for (const row of rows) {
    const part = format === "native" ? rowToLine(row) : JSON.stringify(toOcsf(rowToEvent(row)));
    const size = encoder.encode(part).length + 1;
    if (parts.length && bytes + size > DELIVERY.maxBodyBytes) break;
    parts.push(part);
    bytes += size;
    lastSeq = row.seq;
  }
  return { body: `{"events":[${parts.join(",")}]}`, count: parts.length, lastSeq };
}

export type DeliveryOutcome =
  | { kind: "gone" }
  | { kind: "busy" }
  | { kind: "not_due"; dueAt: number }
  | { kind: "done"; delivered: number; cursor: number; more: boolean }
  | { kind: "failed"; delivered: number; delaySeconds: number; status: number | null; error: string };

export type DeliverOptions = {
  /** Clock override (tests: "eight days later"). */
  now?: () => number;
  timeoutMs?: number;
  /** Where post-commit work of the gap event goes (the consumer awaits it before returning). */
  waitUntil?: (p: Promise<unknown>) => void;
};

const SIEM_ACTOR = { type: "system", id: "siem", display: "SIEM delivery" } as const;

async function acquireLease(db: D1Database, tenantId: string, id: string, token: string, now: number) {
  return db
    .prepare(
      `UPDATE siem_endpoints SET lease_token = ?1, lease_until = ?2
       WHERE tenant_id = ?3 AND id = ?4 AND enabled = 1
         AND (lease_until IS NULL OR lease_until <= ?5)
         AND (next_attempt_at IS NULL OR next_attempt_at <= ?6)
       RETURNING ${ENDPOINT_COLUMNS}`,
    )
    .bind(token, now + DELIVERY.leaseMs, tenantId, id, now, now + DELIVERY.dueToleranceMs)
    .first<EndpointRow>();
}

async function whyNotLeased(
  db: D1Database,
  tenantId: string,
  id: string,
  now: number,
): Promise<DeliveryOutcome> {
  const row = await db
    .prepare(
      "SELECT enabled, lease_until, next_attempt_at FROM siem_endpoints WHERE tenant_id = ? AND id = ?",
    )
    .bind(tenantId, id)
    .first<Pick<EndpointRow, "enabled" | "lease_until" | "next_attempt_at">>();
  if (row?.enabled !== 1) return { kind: "gone" };
  if (row.lease_until !== null && row.lease_until > now) return { kind: "busy" };
  if (row.next_attempt_at !== null) return { kind: "not_due", dueAt: row.next_attempt_at };
  return { kind: "busy" };
}

/**
 * Aborts the D1 batch it sits in when the statement before it changed no row: the INSERT violates
 * NOT NULL only when its SELECT yields a row. Used so a gap event is recorded only together with
 * the cursor move it describes (same lease, same old cursor).
 */
export const ABORT_IF_UNCHANGED =
  "INSERT INTO siem_endpoints (id, tenant_id) SELECT NULL, NULL WHERE changes() = 0";

/** Skips what has been owed for over 7 days (or was pruned), recording the gap. Returns the new cursor. */
async function skipExpired(
  env: Env,
  row: EndpointRow,
  token: string,
  cursor: number,
  now: number,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<number> {
  const { d1: db } = await auditLogOf(env, row.tenant_id);
  const first = await db
    .prepare("SELECT seq, received_at FROM audit_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT 1")
    .bind(row.tenant_id, cursor)
    .first<{ seq: number; received_at: number }>();
  if (!first) return cursor;
  const cutoff = now - DELIVERY.bufferMs;
  // An event is owed from max(received_at, endpoint created_at): a "beginning" backfill is not a gap.
  let keepFrom = first.seq;
  if (row.created_at < cutoff && first.received_at < cutoff) {
    const keep = await db
      .prepare(
        "SELECT seq FROM audit_events WHERE tenant_id = ? AND seq > ? AND received_at >= ? ORDER BY seq LIMIT 1",
      )
      .bind(row.tenant_id, cursor, cutoff)
      .first<{ seq: number }>();
    keepFrom = keep
      ? keep.seq
      : ((await db.prepare(HEAD_SQL).bind(row.tenant_id).first<{ head: number }>())?.head ?? 0) + 1;
  }
  const gapTo = keepFrom - 1;
  if (gapTo <= cursor) return cursor;
  const pruned = first.seq - cursor - 1;
  const expired = gapTo - cursor - pruned;
  const rec = await systemRecorder(
    env,
    row.tenant_id,
    { actor: SIEM_ACTOR, channel: "scheduled" },
    waitUntil,
  );
  if (!rec) return cursor;
  await rec.commit(
    [
      db
        .prepare(
          "UPDATE siem_endpoints SET cursor_seq = ?1 WHERE tenant_id = ?2 AND id = ?3 AND cursor_seq = ?4 AND lease_token = ?5",
        )
        .bind(gapTo, row.tenant_id, row.id, cursor, token),
      db.prepare(ABORT_IF_UNCHANGED),
    ],
    [
      {
        event_type: "siem.delivery.gap",
        crud: "u",
        outcome: "failure",
        error: {
          code: expired ? "siem_buffer_expired" : "siem_events_pruned",
          message: `${gapTo - cursor} events (seq ${cursor + 1}–${gapTo}) were never delivered to SIEM endpoint "${row.name}"${
            expired ? ": owed for more than 7 days" : ": no longer in the log"
          }`,
        },
        target: [{ type: "siem_endpoint", id: row.id, name: row.name }],
        metadata: { from_seq: cursor + 1, to_seq: gapTo, skipped: gapTo - cursor, expired, pruned },
        risk: { level: "high", rules: ["siem.delivery.gap"] },
      },
    ],
  );
  return gapTo;
}

async function deliverRounds(
  env: Env,
  row: EndpointRow,
  token: string,
  opts: DeliverOptions,
  now: () => number,
): Promise<DeliveryOutcome> {
  const { d1: db } = await auditLogOf(env, row.tenant_id);
  const waitUntil = opts.waitUntil ?? ((p) => void p.catch(() => {}));
  let cursor = row.cursor_seq;
  let attempts = row.attempts;
  let delivered = 0;
  /** Records a failed attempt (cursor unchanged) and the backoff before the next one. */
  const fail = async (status: number | null, error: string): Promise<DeliveryOutcome> => {
    const at = now();
    attempts += 1;
    const delaySeconds = backoffSeconds(attempts);
    await db
      .prepare(
        `UPDATE siem_endpoints SET attempts = ?1, last_attempt_at = ?2, last_status = ?3, last_error = ?4,
           next_attempt_at = ?5 WHERE tenant_id = ?6 AND id = ?7 AND lease_token = ?8`,
      )
      .bind(attempts, at, status, error, at + delaySeconds * 1000, row.tenant_id, row.id, token)
      .run();
    return { kind: "failed", delivered, delaySeconds, status, error };
  };
  let secret: string;
  try {
    secret = await decryptSecret(env, row.tenant_id, row.id, row.secret_cipher);
  } catch {
    return fail(null, "cannot decrypt the signing secret (was SECRETS_KEY changed?); rotate the secret");
  }
  for (let round = 0; round < DELIVERY.roundsPerMessage; round++) {
    cursor = await skipExpired(env, row, token, cursor, now(), waitUntil);
    const { results } = await db
      .prepare(
        "SELECT seq, body, leaf_hash FROM audit_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?",
      )
      .bind(row.tenant_id, cursor, DELIVERY.batchEvents)
      .all<EventRow>();
    if (!results.length) return { kind: "done", delivered, cursor, more: false };
    const payload = buildPayload(row.format, results);
    const result = await postSigned(env, row, secret, payload.body, opts.timeoutMs);
    if (!result.ok) return fail(result.status, result.error ?? "failed");
    const at = now();
    const moved = await db
      .prepare(
        `UPDATE siem_endpoints SET cursor_seq = ?1, delivered_count = delivered_count + ?2, attempts = 0,
           last_attempt_at = ?3, last_success_at = ?3, last_status = ?4, last_error = NULL, next_attempt_at = NULL,
           lease_until = ?5
         WHERE tenant_id = ?6 AND id = ?7 AND cursor_seq = ?8 AND lease_token = ?9`,
      )
      .bind(
        payload.lastSeq,
        payload.count,
        at,
        result.status,
        at + DELIVERY.leaseMs,
        row.tenant_id,
        row.id,
        cursor,
        token,
      )
      .run();
    // Lease lost or endpoint deleted: those events went out anyway (at least once), nothing to record.
    if (!moved.meta.changes) return { kind: "busy" };
    delivered += payload.count;
    attempts = 0;
    cursor = payload.lastSeq;
  }
  return { kind: "done", delivered, cursor, more: true };
}

/**
 * Delivers one endpoint's backlog if it is enabled, due and not leased by another consumer. After
 * releasing the lease it queues the endpoint again: at once if more is waiting, else, when it
 * delivered something, a re-check in RECHECK_SECONDS (events appended while it held the lease, or
 * whose wake-up was throttled, are not stranded until the cron sweep).
 */
export async function deliverEndpoint(
  env: Env,
  tenantId: string,
  endpointId: string,
  opts: DeliverOptions = {},
): Promise<DeliveryOutcome> {
  const now = opts.now ?? Date.now;
  const token = crypto.randomUUID();
  const { d1: db } = await auditLogOf(env, tenantId);
  const row = await acquireLease(db, tenantId, endpointId, token, now());
  if (!row) return whyNotLeased(db, tenantId, endpointId, now());
  let outcome: DeliveryOutcome;
  try {
    outcome = await deliverRounds(env, row, token, opts, now);
  } finally {
    await db
      .prepare(
        "UPDATE siem_endpoints SET lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ?",
      )
      .bind(endpointId, token)
      .run();
  }
  if (outcome.kind === "done") {
    if (outcome.more) await enqueueEndpoints(env, tenantId, [endpointId]);
    else if (outcome.delivered) await enqueueEndpoints(env, tenantId, [endpointId], RECHECK_SECONDS);
    else await kickEndpoint(env, tenantId, endpointId, now());
  }
  return outcome;
}
