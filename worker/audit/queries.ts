import { auditLog, type TenantContext } from "../db/client";
import { NotFoundError, ValidationError } from "../lib/errors";
import { base64Url } from "../lib/ids";
import { FUTURE_SKEW_MS } from "../lib/time";
import type { AuditEvent, AuditFilters, AuditListQuery } from "./schemas";

export type EventRow = { seq: number; body: string; leaf_hash: string };

/** The wire event: the hashed body plus its position and leaf hash. */
export function rowToEvent(row: EventRow): AuditEvent {
  return { ...JSON.parse(row.body), seq: row.seq, integrity: { leaf_hash: row.leaf_hash } };
}

/** The same event as one NDJSON line, without re-serializing the body. */
export function rowToLine(row: EventRow): string {
  return `${row.body.slice(0, -1)},"seq":${row.seq},"integrity":{"leaf_hash":"${row.leaf_hash}"}}`;
}

const RISK_AT_LEAST: Record<string, string[]> = {
  none: ["none", "low", "medium", "high"],
  low: ["low", "medium", "high"],
  medium: ["medium", "high"],
  high: ["high"],
};

const FIELD =
  /^((?:metadata|changes|ai|error|approval|correlation|actor)(?:\.[A-Za-z0-9_-]{1,40}){0,6})\s*(!=|>=|<=|=|>|<)\s*(.{0,200})$/;

/** `metadata.amount>=50000` → json_extract(body, '$."metadata"."amount"') >= 50000 */
function fieldCondition(raw: string, i: number): { sql: string; param: unknown } {
  const m = FIELD.exec(raw.trim());
  if (!m) {
    throw new ValidationError("Invalid field filter", [
      {
        path: `field.${i}`,
        message:
          "use <path><op><value>, path under metadata/changes/ai/error/approval/correlation/actor, op = != > >= < <=",
      },
    ]);
  }
  const [, path = "", op = "=", value = ""] = m;
  const jsonPath = `$${path
    .split(".")
    .map((p) => `."${p}"`)
    .join("")}`;
  const numeric = value.trim() !== "" && Number.isFinite(Number(value));
  return {
    sql: `json_extract(e.body, '${jsonPath}') ${op} ?`,
    param: numeric ? Number(value) : value,
  };
}

/** Each term quoted (FTS5 syntax in user text stays text), ANDed, within the tenant's rows. */
function ftsQuery(tenantId: string, q: string): string | null {
  const terms = q.match(/[\p{L}\p{N}_@.:-]+/gu) ?? [];
  if (!terms.length) return null;
  return `tenant_id:"${tenantId.replaceAll('"', "")}" AND text:(${terms.map((t) => `"${t.replaceAll('"', "")}"`).join(" ")})`;
}

/** Filters as a WHERE clause over `audit_events e`, always scoped to the tenant. */
/**
 * `text: "join"` leaves `q` out of the WHERE and returns its FTS query instead, for callers that
 * drive the read from the FTS index (newest first, stopping at a page); by default `q` becomes an
 * `IN` over all matches (fine for exports, which read everything anyway).
 */
export function filterSql(
  tenantId: string,
  f: AuditFilters,
  text: "in" | "join" = "in",
): { where: string; params: unknown[]; match: string | null } {
  const where = ["e.tenant_id = ?"];
  const params: unknown[] = [tenantId];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (f.from) {
    // Lists read newest seq first and stop at a page, so the time range must not pick the index:
    // `+` keeps occurred_at out of index choice, and a seq floor from received_at (occurred_at is
    // at most FUTURE_SKEW_MS ahead of it) keeps the scan inside the range.
    add("+e.occurred_at >= ?", Date.parse(f.from));
    add(
      "e.seq >= COALESCE((SELECT r.seq FROM audit_events r WHERE r.tenant_id = ? AND r.received_at >= ? ORDER BY r.received_at LIMIT 1), 9e15)",
      tenantId,
      Date.parse(f.from) - FUTURE_SKEW_MS,
    );
  }
  if (f.to) add("+e.occurred_at < ?", Date.parse(f.to));
  if (f.event_type?.length) {
    const parts = f.event_type.map((t) => {
      if (!t.endsWith(".*")) {
        params.push(t);
        return "e.event_type = ?";
      }
      const prefix = t.slice(0, -1);
      params.push(prefix, `${prefix.slice(0, -1)}/`);
      return "(e.event_type >= ? AND e.event_type < ?)";
    });
    where.push(`(${parts.join(" OR ")})`);
  }
  if (f.actor) add("e.actor_id = ?", f.actor);
  if (f.actor_type) add("e.actor_type = ?", f.actor_type);
  if (f.user) add("e.user_id = ?", f.user);
  if (f.tool_name) add("e.tool_name = ?", f.tool_name);
  if (f.conversation_id) add("e.conversation_id = ?", f.conversation_id);
  if (f.outcome) add("e.outcome = ?", f.outcome);
  if (f.risk) {
    const levels = RISK_AT_LEAST[f.risk] ?? [];
    add(`e.risk_level IN (${levels.map(() => "?").join(",")})`, ...levels);
  }
  if (f.target) {
    add(
      "e.seq IN (SELECT t.seq FROM audit_event_targets t WHERE t.tenant_id = ? AND t.target_id = ?)",
      tenantId,
      f.target,
    );
  }
  const match = f.q ? ftsQuery(tenantId, f.q) : null;
  if (match && text === "in")
    add("e.pk IN (SELECT rowid FROM audit_events_fts WHERE audit_events_fts MATCH ?)", match);
  f.field.forEach((raw, i) => {
    const c = fieldCondition(raw, i);
    add(c.sql, c.param);
  });
  return { where: where.join(" AND "), params, match: text === "join" ? match : null };
}

/** Cursors name the tenant they were issued to; another tenant's cursor is "not found". */
async function tenantTag(tenantId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`audit-cursor:${tenantId}`));
  return base64Url(new Uint8Array(digest).slice(0, 6));
}

export async function encodeSeqCursor(tenantId: string, seq: number): Promise<string> {
  return `${await tenantTag(tenantId)}.${seq}`;
}

export async function decodeSeqCursor(tenantId: string, cursor: string): Promise<number> {
  const [tag, seq] = cursor.split(".");
  if (tag !== (await tenantTag(tenantId)) || !/^\d{1,15}$/.test(seq ?? "")) throw new NotFoundError("Cursor");
  return Number(seq);
}

export async function listEvents(tenant: TenantContext, q: AuditListQuery) {
  const { d1: db } = auditLog(tenant);
  const tenantId = tenant.id;
  const { where, params, match } = filterSql(tenantId, q, "join");
  const before = q.cursor ? await decodeSeqCursor(tenantId, q.cursor) : null;
  const page = before === null ? "" : " AND e.seq < ?";
  // With free text the FTS index drives the read newest first (a tenant's pk order is its seq
  // order), so a common word stops after one page instead of collecting every match.
  const sql = match
    ? `SELECT e.seq, e.body, e.leaf_hash FROM audit_events_fts f JOIN audit_events e ON e.pk = f.rowid
       WHERE audit_events_fts MATCH ? AND ${where}${page} ORDER BY f.rowid DESC LIMIT ?`
    : `SELECT e.seq, e.body, e.leaf_hash FROM audit_events e WHERE ${where}${page} ORDER BY e.seq DESC LIMIT ?`;
  const rows = await db
    .prepare(sql)
    .bind(...(match ? [match] : []), ...params, ...(before === null ? [] : [before]), q.limit + 1)
    .all<EventRow>();
  const found = rows.results.slice(0, q.limit);
  const last = found.at(-1);
  return {
    data: found.map(rowToEvent),
    next_cursor: rows.results.length > q.limit && last ? await encodeSeqCursor(tenantId, last.seq) : null,
  };
}

export async function getEvent(tenant: TenantContext, eventId: string) {
  const { d1: db } = auditLog(tenant);
  const tenantId = tenant.id;
  const row = await db
    .prepare("SELECT seq, body, leaf_hash FROM audit_events WHERE tenant_id = ? AND event_id = ?")
    .bind(tenantId, eventId)
    .first<EventRow>();
  if (!row) throw new NotFoundError("Audit event");
  return rowToEvent(row);
}
