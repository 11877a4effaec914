/**
 * The fold's sync state per tenant (analytics_sync): its cursor over traces, a lease so one fold
 * runs at a time, and what the UI shows as freshness.
 */
import type { TenantContext } from "../db/client";
import { randomToken } from "../lib/ids";
import { isoTime } from "../lib/time";
import type { Freshness } from "./schemas";

/** Rollups older than this are stale (the freshness alert fires past it). */
export const FRESH_MS = 5 * 60_000;
/** A fold holds its lease this long at most; a crashed fold's lease lapses after it. */
const LEASE_MS = 60_000;

type Db = Pick<TenantContext, "d1">;
export type Cursor = { at: number; pk: number };
export type Lease = { token: string; cursor: Cursor };

type SyncRow = {
  cursor_at: number;
  cursor_pk: number;
  rows_folded: number;
  last_rows: number;
  last_duration_ms: number;
  last_folded_at: number;
  last_rows_read: number;
  last_rows_written: number;
  newest_source_at: number | null;
};

/** Takes the tenant's fold lease; null when another fold holds it. */
export async function takeLease(db: Db, tenantId: string, now: number): Promise<Lease | null> {
  const token = randomToken(12);
  const [, taken] = await db.d1.batch<{ cursor_at: number; cursor_pk: number }>([
    db.d1
      .prepare(
        `INSERT INTO analytics_sync (tenant_id, cursor_at, cursor_pk, rows_folded, last_rows, last_duration_ms, last_folded_at)
         VALUES (?1, 0, 0, 0, 0, 0, 0) ON CONFLICT (tenant_id) DO NOTHING`,
      )
      .bind(tenantId),
    db.d1
      .prepare(
        `UPDATE analytics_sync SET lease_token = ?2, lease_until = ?3
         WHERE tenant_id = ?1 AND (lease_until IS NULL OR lease_until < ?4)
         RETURNING cursor_at, cursor_pk`,
      )
      .bind(tenantId, token, now + LEASE_MS, now),
  ]);
  const row = taken?.results[0];
  return row ? { token, cursor: { at: Number(row.cursor_at), pk: Number(row.cursor_pk) } } : null;
}

/**
 * A statement that fails its batch unless `token` still holds the lease: a fold that outlived its
 * lease writes nothing (json() of a non-JSON text raises an error, the only way SQL can).
 */
export function leaseGuard(db: Db, tenantId: string, token: string): D1PreparedStatement {
  return db.d1
    .prepare(
      `SELECT CASE WHEN (SELECT lease_token FROM analytics_sync WHERE tenant_id = ?1) = ?2 THEN 1
       ELSE json('analytics fold lease lost') END AS held`,
    )
    .bind(tenantId, token);
}

export type Progress = {
  cursor: Cursor;
  /** Traces whose fact changed in this page, and in the whole run so far. */
  rows: number;
  runRows: number;
  durationMs: number;
  newestSourceAt: number | null;
  release: boolean;
};

/** Moves the cursor and counts a page; with `release`, ends the run and frees the lease. */
export function saveProgress(db: Db, tenantId: string, token: string, p: Progress, now: number) {
  return db.d1
    .prepare(
      `UPDATE analytics_sync SET cursor_at = ?3, cursor_pk = ?4, rows_folded = rows_folded + ?5,
         last_rows = CASE WHEN ?8 THEN ?10 ELSE last_rows END,
         last_duration_ms = CASE WHEN ?8 THEN ?6 ELSE last_duration_ms END,
         last_folded_at = CASE WHEN ?8 THEN ?7 ELSE last_folded_at END,
         newest_source_at = max(coalesce(newest_source_at, 0), coalesce(?9, 0)),
         lease_token = CASE WHEN ?8 THEN NULL ELSE lease_token END,
         lease_until = CASE WHEN ?8 THEN NULL ELSE lease_until END
       WHERE tenant_id = ?1 AND lease_token = ?2`,
    )
    .bind(
      tenantId,
      token,
      p.cursor.at,
      p.cursor.pk,
      p.rows,
      p.durationMs,
      now,
      p.release ? 1 : 0,
      p.newestSourceAt,
      p.runRows,
    );
}

/** An interaction folded this long after its start is history arriving (a backfill, a catch-up). */
export const BACKFILL_AGE_MS = 3_600_000;
/** History has stopped arriving once no fold has carried any for this long. */
export const BACKFILL_QUIET_MS = 60_000;

/**
 * What a finished run cost in D1 rows (known only once its last batch has run), and whether it
 * carried history: `oldestStart` is the earliest start among the interactions it changed.
 */
export async function saveRun(
  db: Db,
  tenantId: string,
  run: { read: number; written: number; oldestStart: number | null },
  now: number,
) {
  const history = run.oldestStart !== null && run.oldestStart < now - BACKFILL_AGE_MS;
  await db.d1
    .prepare(
      `UPDATE analytics_sync SET last_rows_read = ?2, last_rows_written = ?3,
         backfill_from = CASE WHEN NOT ?4 THEN backfill_from
           WHEN backfill_at > ?6 - ${BACKFILL_QUIET_MS} THEN min(backfill_from, ?5) ELSE ?5 END,
         backfill_at = CASE WHEN ?4 THEN ?6 ELSE backfill_at END
       WHERE tenant_id = ?1`,
    )
    .bind(tenantId, run.read, run.written, history ? 1 : 0, run.oldestStart, now)
    .run();
}

/** Frees the lease after a failed run, so the next trigger need not wait for it to lapse. */
export async function dropLease(db: Db, tenantId: string, token: string): Promise<void> {
  await db.d1
    .prepare(
      "UPDATE analytics_sync SET lease_token = NULL, lease_until = NULL WHERE tenant_id = ?1 AND lease_token = ?2",
    )
    .bind(tenantId, token)
    .run();
}

/** Start of the oldest trace change newer than anything folded (null: caught up). */
async function oldestPending(db: Db, tenantId: string, newest: number): Promise<number | null> {
  const row = await db.d1
    .prepare("SELECT min(updated_at) AS at FROM traces WHERE tenant_id = ?1 AND updated_at > ?2")
    .bind(tenantId, newest)
    .first<{ at: number | null }>();
  return row?.at ?? null;
}

/** Whether there is anything to fold (the minute sweep asks before folding a tenant). */
export async function hasPending(db: Db, tenantId: string): Promise<boolean> {
  const sync = await readSync(db, tenantId);
  return (await oldestPending(db, tenantId, sync?.newest_source_at ?? -1)) !== null;
}

async function readSync(db: Db, tenantId: string): Promise<SyncRow | null> {
  return db.d1
    .prepare(
      `SELECT cursor_at, cursor_pk, rows_folded, last_rows, last_duration_ms, last_folded_at, last_rows_read,
         last_rows_written, newest_source_at
       FROM analytics_sync WHERE tenant_id = ?1`,
    )
    .bind(tenantId)
    .first<SyncRow>();
}

/** How current the tenant's rollups are. */
export async function readFreshness(tenant: Db & { id: string }, now = Date.now()): Promise<Freshness> {
  const sync = await readSync(tenant, tenant.id);
  const pending = await oldestPending(tenant, tenant.id, sync?.newest_source_at ?? -1);
  const folded = sync && sync.last_folded_at > 0;
  const lag = pending === null ? 0 : Math.max(0, now - pending);
  return {
    last_folded_at: folded ? isoTime(sync.last_folded_at) : null,
    newest_source_at: sync?.newest_source_at ? isoTime(sync.newest_source_at) : null,
    lag_ms: lag,
    rows_folded: sync?.rows_folded ?? 0,
    last_rows: sync?.last_rows ?? 0,
    last_duration_ms: sync?.last_duration_ms ?? 0,
    last_rows_read: sync?.last_rows_read ?? 0,
    last_rows_written: sync?.last_rows_written ?? 0,
    state: !folded && pending === null ? "never" : lag > FRESH_MS ? "stale" : "fresh",
  };
}
