/**
 * POST /audit/events: tenants' own assistants and services write into the same log as our own
 * mutations. Validation names each bad field; `Idempotency-Key` replays the first answer for 24 h,
 * and the key's row is written in the same batch as the events, so a retry racing the first
 * request can never record twice.
 */
import type { z } from "@hono/zod-openapi";
import { sha256Hex } from "../lib/crypto";
import { ConflictError, ForbiddenError, ValidationError } from "../lib/errors";
import { zodIssuesToDetails } from "../lib/openapi";
import type { AuditDraft, AuditSource } from "./record";
import type { AuditRecorder } from "./recorder";
import { AuditEventBatch, AuditEventInput, type SubmittedBy } from "./schemas";

const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export type AppendResponse = { body: unknown; replayed: boolean };

function parseEvents(input: unknown): AuditEventInput[] {
  const batch = input !== null && typeof input === "object" && "events" in input;
  const parsed = batch ? AuditEventBatch.safeParse(input) : AuditEventInput.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      "Please correct the highlighted fields",
      zodIssuesToDetails(parsed.error.issues),
    );
  }
  return batch ? (parsed.data as z.output<typeof AuditEventBatch>).events : [parsed.data as AuditEventInput];
}

/** A body naming another tenant is refused, and the attempt itself is recorded. */
async function refuseForeignTenant(rec: AuditRecorder, events: AuditEventInput[]) {
  const foreign = events.find((e) => e.tenant_id !== undefined && e.tenant_id !== rec.source.tenantId);
  if (!foreign) return;
  await rec.record({
    event_type: "audit.tenant_mismatch",
    crud: "c",
    outcome: "failure",
    error: { code: "forbidden", message: "event body named another tenant" },
    risk: { level: "high", rules: ["tenant_mismatch"] },
    metadata: { claimed_tenant_id: String(foreign.tenant_id).slice(0, 200) },
  });
  throw new ForbiddenError("tenant_id in the body does not match your API key's tenant");
}

type StoredReply = { request_hash: string; response: string };

async function storedReply(db: D1Database, tenantId: string, key: string, since: number) {
  return db
    .prepare(
      "SELECT request_hash, response FROM audit_idempotency WHERE tenant_id = ? AND key = ? AND created_at >= ?",
    )
    .bind(tenantId, key, since)
    .first<StoredReply>();
}

function replay(stored: StoredReply, hash: string): AppendResponse {
  if (stored.request_hash !== hash) {
    throw new ConflictError("This Idempotency-Key was used with a different body in the last 24 hours");
  }
  return { body: JSON.parse(stored.response), replayed: true };
}

function clearStale(db: D1Database, tenantId: string, key: string, now: number) {
  return db
    .prepare("DELETE FROM audit_idempotency WHERE tenant_id = ? AND key = ? AND created_at < ?")
    .bind(tenantId, key, now - IDEMPOTENCY_TTL_MS);
}

/** The answer is computed by SQL from the rows just inserted (their seqs exist only there). */
function remember(db: D1Database, tenantId: string, key: string, hash: string, ids: string[], now: number) {
  return db
    .prepare(
      `INSERT INTO audit_idempotency (tenant_id, key, request_hash, status, response, created_at)
       SELECT ?1, ?2, ?3, 201, json_object('data', json_group_array(json_object(
         'event_id', event_id, 'seq', seq, 'leaf_hash', leaf_hash))), ?4
       FROM (SELECT event_id, seq, leaf_hash FROM audit_events
             WHERE tenant_id = ?1 AND event_id IN (SELECT value FROM json_each(?5)) ORDER BY seq)`,
    )
    .bind(tenantId, key, hash, now, JSON.stringify(ids));
}

function submitterOf(source: AuditSource): SubmittedBy {
  const key = source.actor.type === "api_key" ? source.actor : null;
  return {
    api_key_id: key?.id ?? null,
    api_key_name: key?.display ?? null,
    user_id: source.onBehalfOf,
    source_ip: source.sourceIp,
    request_id: source.requestId,
  };
}

const toDraft = ({ tenant_id: _, ...e }: AuditEventInput): AuditDraft => ({
  ...e,
  source_ip: e.source_ip ?? null,
  user_agent: e.user_agent ?? null,
  on_behalf_of: e.on_behalf_of,
});

export async function appendEvents(
  rec: AuditRecorder,
  input: unknown,
  raw: Uint8Array,
  key: string | undefined,
): Promise<AppendResponse> {
  const events = parseEvents(input);
  await refuseForeignTenant(rec, events);
  const db = rec.d1;
  const tenantId = rec.source.tenantId;
  const hash = key ? await sha256Hex(new TextDecoder().decode(raw)) : "";
  const now = Date.now();
  if (key) {
    const stored = await storedReply(db, tenantId, key, now - IDEMPOTENCY_TTL_MS);
    if (stored) return replay(stored, hash);
  }
  // Submitted events speak for their own actors; the key's user is not the one acting. Who sent
  // them is recorded apart, from what we observed, where the sender cannot write.
  const external = rec.with({
    onBehalfOf: null,
    sourceIp: null,
    userAgent: null,
    channel: "api",
    submittedBy: submitterOf(rec.source),
  });
  try {
    const drafts = events.map(toDraft);
    const { events: appended } = key
      ? await external.commit([clearStale(db, tenantId, key, now)], drafts, (prepared) => [
          remember(
            db,
            tenantId,
            key,
            hash,
            prepared.map((e) => e.body.event_id),
            now,
          ),
        ])
      : await external.commit([], drafts);
    return { body: { data: appended.map(summary) }, replayed: false };
  } catch (err) {
    // A concurrent request with the same key won the race: answer with its result.
    if (key && String(err).includes("audit_idempotency")) {
      const stored = await storedReply(db, tenantId, key, now - IDEMPOTENCY_TTL_MS);
      if (stored) return replay(stored, hash);
    }
    throw err;
  }
}

const summary = (e: { body: { event_id: string }; seq: number; leafHash: string }) => ({
  event_id: e.body.event_id,
  seq: e.seq,
  leaf_hash: e.leafHash,
});
