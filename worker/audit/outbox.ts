/**
 * Control-plane events of a tenant whose audit log is on another database. The mutation and its
 * events' rows in `audit_outbox` commit in one control-database batch (so an event exists exactly
 * when its mutation does); delivery then appends them, in outbox order, to the tenant's log, where
 * they take the next seqs like any other event, and deletes them from the outbox. Delivery is
 * idempotent on event id (`audit_events_tenant_event_id_idx`), so a delivery that died between
 * append and delete, or two racing ones, append each event once and keep seqs gap-free.
 */
import { auditLogOf, control } from "../db/client";
import { INSERT_EVENTS_SQL, insertParams, type PreparedEvent } from "./record";

const INSERT_OUTBOX_SQL =
  "INSERT INTO audit_outbox (tenant_id, event_id, row, created_at) VALUES (?, ?, ?, ?)";

/** Rows per delivery statement, and their JSON's size cap (as record.ts's chunks). */
const MAX_ROWS = 100;
const MAX_BYTES = 1_500_000;
const MAX_RACES = 5;

/** The outbox rows for `events`, to put in the mutation's control-database batch. */
export function outboxStatements(env: Env, events: PreparedEvent[], now: number): D1PreparedStatement[] {
  const stmt = control(env).d1.prepare(INSERT_OUTBOX_SQL);
  return events.map((e) =>
    stmt.bind(e.body.tenant_id, e.body.event_id, JSON.stringify(insertParams(e)), now),
  );
}

type OutboxRow = { pk: number; event_id: string; row: string };

function firstChunk(rows: OutboxRow[]): OutboxRow[] {
  let bytes = 0;
  const chunk: OutboxRow[] = [];
  for (const r of rows) {
    if (chunk.length && bytes + r.row.length > MAX_BYTES) break;
    chunk.push(r);
    bytes += r.row.length;
  }
  return chunk;
}

async function appendOnce(log: D1Database, tenantId: string, rows: OutboxRow[], seqs: Map<string, number>) {
  const { results: have } = await log
    .prepare(
      "SELECT event_id, seq FROM audit_events WHERE tenant_id = ? AND event_id IN (SELECT value FROM json_each(?))",
    )
    .bind(tenantId, JSON.stringify(rows.map((r) => r.event_id)))
    .all<{ event_id: string; seq: number }>();
  for (const h of have) seqs.set(h.event_id, h.seq);
  const fresh = rows.filter((r) => !seqs.has(r.event_id));
  if (!fresh.length) return;
  const { results } = await log
    .prepare(INSERT_EVENTS_SQL)
    .bind(tenantId, `[${fresh.map((r) => r.row).join(",")}]`)
    .all<{ event_id: string; seq: number }>();
  for (const r of results) seqs.set(r.event_id, r.seq);
}

/** Appends the tenant's pending control-plane events to its log; returns event id → seq. */
export async function deliverOutbox(env: Env, tenantId: string): Promise<Map<string, number>> {
  const ctl = control(env).d1;
  const { d1: log } = await auditLogOf(env, tenantId);
  const seqs = new Map<string, number>();
  for (;;) {
    const { results } = await ctl
      .prepare("SELECT pk, event_id, row FROM audit_outbox WHERE tenant_id = ? ORDER BY pk LIMIT ?")
      .bind(tenantId, MAX_ROWS)
      .all<OutboxRow>();
    if (!results.length) return seqs;
    const chunk = firstChunk(results);
    for (let race = 1; ; race++) {
      try {
        await appendOnce(log, tenantId, chunk, seqs);
        break;
      } catch (err) {
        // Another delivery appended some of them (or took the seq) first: look again.
        if (race >= MAX_RACES || !String(err).includes("UNIQUE")) throw err;
      }
    }
    await ctl
      .prepare("DELETE FROM audit_outbox WHERE pk IN (SELECT value FROM json_each(?))")
      .bind(JSON.stringify(chunk.map((r) => r.pk)))
      .run();
  }
}

/** Cron safety net: delivers what a request committed but could not deliver. */
export async function sweepOutbox(env: Env): Promise<number> {
  const { results } = await control(env)
    .d1.prepare("SELECT DISTINCT tenant_id FROM audit_outbox LIMIT 1000")
    .all<{ tenant_id: string }>();
  let delivered = 0;
  for (const { tenant_id } of results) {
    try {
      delivered += (await deliverOutbox(env, tenant_id)).size;
    } catch (err) {
      console.error("audit outbox delivery failed", tenant_id, err);
    }
  }
  return delivered;
}
