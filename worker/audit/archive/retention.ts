/**
 * Daily retention: each tenant's oldest events move to R2, one object per UTC day of received_at,
 * then leave D1. Only a prefix of the log is ever archived (days strictly in seq order), and D1 is
 * pruned only after the object has been read back, decompressed, hashed and counted against D1.
 * Every step is safe to repeat: an object found from an earlier, interrupted run is re-verified
 * (and rewritten if it does not match); the archive row, the prune grant, the delete and the
 * `audit.retention.prune` event commit in one batch, and a second commit for a day fails on the
 * archive row's primary key.
 */

import { dataDatabases, tenantsOn } from "../../db/client";
import { isoTime } from "../../lib/time";
import { bridgeProof, coveringCheckpoint, putManifest } from "../export/manifest";
import type { Manifest } from "../export/schemas";
import { type AuditRecorder, systemRecorder } from "../recorder";
import { DEFAULT_RETENTION_DAYS, loadSettings, MIN_RETENTION_DAYS } from "../settings";
import {
  archiveManifestKey,
  archiveObjectKey,
  type DayChunk,
  DEFAULT_PART_SIZE,
  renderDay,
  verifyDayObject,
} from "./store";

const DAY_MS = 86_400_000;
const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
const SCAN_PAGE = 5000;
const TENANT_PAGE = 500;

export type RetentionOptions = {
  /** Only these tenants (tests; a manual run for one tenant). */
  tenants?: string[];
  /** Days archived per tenant per run; a backlog spreads over runs. */
  maxDaysPerTenant?: number;
  /** Days archived per run over all tenants. */
  maxDaysPerRun?: number;
  partSize?: number;
  /** Test hook: runs after a day object is written and before it is verified. */
  afterObjectWritten?: (key: string) => void | Promise<void>;
};

export type ArchivedDay = DayChunk & { objectKey: string; sha256: string; bytes: number };
export type RetentionReport = {
  idempotencyDeleted: number;
  tenants: { tenantId: string; archived: ArchivedDay[]; error?: string }[];
};

export const utcDay = (ms: number) => isoTime(ms).slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

/** Events received before this instant may go: the start of the UTC day `days` days ago, never under 180. */
export function retentionCutoff(now: number, retentionDays: number): number {
  const days = Math.max(retentionDays || DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS);
  return dayStart(utcDay(now - days * DAY_MS));
}

/** Tenants whose first event in D1 is older than the 180-day floor: the only ones with work. */
async function candidateTenants(env: Env, now: number, only?: string[]): Promise<string[]> {
  if (only && !only.length) return [];
  const floor = retentionCutoff(now, MIN_RETENTION_DAYS);
  const wanted = only ? new Set(only) : null;
  const out: string[] = [];
  // The control database says which tenants are on a shard; the shard holds their logs.
  for (const shard of dataDatabases(env)) {
    const ids = (await tenantsOn(env, shard.name)).filter((id) => !wanted || wanted.has(id)).sort();
    for (let i = 0; i < ids.length; i += TENANT_PAGE) {
      const { results } = await shard.d1
        .prepare(
          `SELECT t.value AS id, (SELECT e.received_at FROM audit_events e WHERE e.tenant_id = t.value
             ORDER BY e.seq LIMIT 1) AS first_received
           FROM json_each(?) t`,
        )
        .bind(JSON.stringify(ids.slice(i, i + TENANT_PAGE)))
        .all<{ id: string; first_received: number | null }>();
      for (const r of results) if (r.first_received !== null && r.first_received < floor) out.push(r.id);
    }
  }
  return out;
}

/**
 * The next archivable days, in seq order from the end of the last archive. A day starts at the
 * first event received on a later day than the current one; an event received earlier than its
 * predecessor (a straggler near midnight) stays in its predecessor's day, so every day is a
 * contiguous seq range and days only grow. Stops at the first day not wholly before `cutoff`.
 */
export async function planDays(db: D1Database, tenantId: string, cutoff: number, max: number) {
  const last = await db
    .prepare("SELECT day, last_seq FROM audit_archives WHERE tenant_id = ? ORDER BY last_seq DESC LIMIT 1")
    .bind(tenantId)
    .first<{ day: string; last_seq: number }>();
  const days: DayChunk[] = [];
  let expected = (last?.last_seq ?? 0) + 1;
  let floor = last?.day ?? "";
  let current: DayChunk | null = null;
  for (;;) {
    const { results } = await db
      .prepare(
        `SELECT seq, received_at FROM audit_events WHERE tenant_id = ? AND seq >= ? ORDER BY seq LIMIT ${SCAN_PAGE}`,
      )
      .bind(tenantId, expected)
      .all<{ seq: number; received_at: number }>();
    for (const row of results) {
      if (row.seq !== expected) throw new Error(`audit seq ${expected} missing from D1 for ${tenantId}`);
      expected += 1;
      const day = utcDay(row.received_at);
      if (current && day <= current.day) {
        current.lastSeq = row.seq;
        current.count += 1;
        continue;
      }
      if (current) days.push(current);
      if (days.length >= max) return days;
      const label = day > floor ? day : utcDay(dayStart(floor) + DAY_MS);
      if (dayStart(label) + DAY_MS > cutoff) return days;
      current = { day: label, firstSeq: row.seq, lastSeq: row.seq, count: 1 };
      floor = label;
    }
    if (results.length < SCAN_PAGE) {
      if (current) days.push(current);
      return days;
    }
  }
}

type TenantRun = { env: Env; tenantId: string; now: number; opts: RetentionOptions; rec: AuditRecorder };

/** Writes (or finds and re-verifies) the day's object, then its manifest; throws unless it checks. */
async function archiveDay(run: TenantRun, chunk: DayChunk): Promise<ArchivedDay> {
  const { env, tenantId } = run;
  const key = archiveObjectKey(tenantId, chunk.day);
  const partSize = run.opts.partSize ?? DEFAULT_PART_SIZE;
  // The log copies leaf hashes from D1: pruning rows it has not sequenced would cut it short.
  const checkpoint = await coveringCheckpoint(env, tenantId, chunk.lastSeq);
  if (!checkpoint || checkpoint.size < chunk.lastSeq) {
    throw new Error(`no signed checkpoint covers seq ${chunk.lastSeq} yet; not archiving ${chunk.day}`);
  }
  let expected = (await env.ARCHIVE.head(key)) ? await renderDay(env, tenantId, chunk) : null;
  let found = expected ? await verifyDayObject(env, key, chunk) : null;
  if (!expected || !found || found.problem || found.contentSha !== expected.contentSha) {
    expected = await renderDay(env, tenantId, chunk, { key, partSize });
    await run.opts.afterObjectWritten?.(key);
    found = await verifyDayObject(env, key, chunk);
  }
  const wrote = expected.object;
  if (!found) throw new Error(`${key} missing right after it was written`);
  if (found.problem) throw new Error(`${key} does not verify: ${found.problem}`);
  if (found.contentSha !== expected.contentSha || (wrote && wrote.sha !== found.objectSha)) {
    throw new Error(`${key} does not verify: hash differs from D1`);
  }
  const manifest: Manifest = {
    export_id: null,
    tenant_id: tenantId,
    format: "ndjson.gz",
    filters: {},
    created_at: isoTime(run.now),
    range: expected.content.range(),
    count: found.count,
    bytes: found.objectBytes,
    sha256: found.objectSha,
    checkpoint: checkpoint.note,
    day: chunk.day,
    object_key: key,
    content_sha256: found.contentSha,
    content_bytes: found.contentBytes,
  };
  manifest.consistency_proof = await bridgeProof(env, tenantId, manifest.range.last_seq, manifest.checkpoint);
  await putManifest(env, archiveManifestKey(tenantId, chunk.day), manifest);
  return { ...chunk, objectKey: key, sha256: found.objectSha, bytes: found.objectBytes };
}

/**
 * One batch: the archive row, the grant, the prune event, then the delete. The event is inserted
 * before the delete so its seq (MAX + 1) can never reuse a pruned seq, and it keeps D1 non-empty.
 */
async function prune(run: TenantRun, day: ArchivedDay): Promise<void> {
  const db = run.rec.d1;
  const t = run.tenantId;
  const count = await db
    .prepare("SELECT count(*) AS n FROM audit_events WHERE tenant_id = ? AND seq BETWEEN ? AND ?")
    .bind(t, day.firstSeq, day.lastSeq)
    .first<{ n: number }>();
  if (count?.n !== day.count)
    throw new Error(`D1 holds ${count?.n} events of ${day.day}, archived ${day.count}`);
  await run.rec.commit(
    [
      db
        .prepare(
          `INSERT INTO audit_archives (tenant_id, day, object_key, first_seq, last_seq, event_count, sha256, bytes,
             created_at, pruned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
        )
        .bind(
          t,
          day.day,
          day.objectKey,
          day.firstSeq,
          day.lastSeq,
          day.count,
          day.sha256,
          day.bytes,
          run.now,
        ),
      db
        .prepare("INSERT INTO audit_prune_grants (tenant_id, through_seq) VALUES (?, ?)")
        .bind(t, day.lastSeq),
    ],
    [
      {
        event_type: "audit.retention.prune",
        crud: "d",
        target: [{ type: "audit_archive", id: day.day }],
        metadata: {
          day: day.day,
          first_seq: day.firstSeq,
          last_seq: day.lastSeq,
          count: day.count,
          object_key: day.objectKey,
          sha256: day.sha256,
        },
      },
    ],
    () => [
      db
        .prepare("DELETE FROM audit_events WHERE tenant_id = ? AND seq BETWEEN ? AND ?")
        .bind(t, day.firstSeq, day.lastSeq),
      db.prepare("DELETE FROM audit_prune_grants WHERE tenant_id = ?").bind(t),
      db
        .prepare("UPDATE audit_archives SET pruned_at = ? WHERE tenant_id = ? AND day = ?")
        .bind(run.now, t, day.day),
    ],
  );
}

/** Archives and prunes day by day, so a failure keeps every day before it. */
async function retainTenant(run: TenantRun, budget: number, archived: ArchivedDay[]): Promise<void> {
  const settings = await loadSettings(run.rec.d1, run.tenantId);
  const cutoff = retentionCutoff(run.now, settings.retentionDays);
  const max = Math.min(run.opts.maxDaysPerTenant ?? 7, budget);
  for (const chunk of await planDays(run.rec.d1, run.tenantId, cutoff, max)) {
    const day = await archiveDay(run, chunk);
    await prune(run, day);
    archived.push(day);
  }
}

async function purgeIdempotency(env: Env, now: number): Promise<number> {
  let deleted = 0;
  for (const { d1 } of dataDatabases(env)) {
    const res = await d1
      .prepare("DELETE FROM audit_idempotency WHERE created_at < ?")
      .bind(now - IDEMPOTENCY_TTL_MS)
      .run();
    deleted += res.meta.changes ?? 0;
  }
  return deleted;
}

export async function runRetention(
  env: Env,
  now: number,
  opts: RetentionOptions = {},
): Promise<RetentionReport> {
  const report: RetentionReport = {
    idempotencyDeleted: await purgeIdempotency(env, now),
    tenants: [],
  };
  const pending: Promise<unknown>[] = [];
  let budget = opts.maxDaysPerRun ?? 100;
  for (const tenantId of await candidateTenants(env, now, opts.tenants)) {
    if (budget <= 0) break;
    const entry: RetentionReport["tenants"][number] = { tenantId, archived: [] };
    report.tenants.push(entry);
    try {
      const actor = { type: "system" as const, id: "retention", display: "Retention job" };
      const rec = await systemRecorder(env, tenantId, { actor, channel: "scheduled" }, (p) =>
        pending.push(p),
      );
      if (!rec) throw new Error(`tenant ${tenantId} not found`);
      await retainTenant({ env, tenantId, now, opts, rec }, budget, entry.archived);
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
      console.error("audit retention failed for tenant", tenantId, err);
    }
    budget -= entry.archived.length;
  }
  await Promise.allSettled(pending);
  return report;
}
