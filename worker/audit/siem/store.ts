/** siem_endpoints rows and their delivery status as the API shows it. */

import { isoTime } from "../../lib/time";
import type { SiemEndpoint } from "./schemas";

export type EndpointRow = {
  id: string;
  tenant_id: string;
  name: string;
  url: string;
  format: "ocsf" | "native";
  secret_cipher: string;
  enabled: number;
  cursor_seq: number;
  delivered_count: number;
  attempts: number;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: number | null;
  created_at: number;
  created_by: string;
  lease_token: string | null;
  lease_until: number | null;
};

export const ENDPOINT_COLUMNS = `id, tenant_id, name, url, format, secret_cipher, enabled, cursor_seq, delivered_count,
  attempts, last_attempt_at, last_success_at, last_status, last_error, next_attempt_at, created_at, created_by,
  lease_token, lease_until`;

/** The tenant's latest seq (0 for an empty log): one seek on the (tenant_id, seq) index. */
export const HEAD_SQL = "SELECT COALESCE(MAX(seq), 0) AS head FROM audit_events WHERE tenant_id = ?";

export async function getEndpoint(db: D1Database, tenantId: string, id: string): Promise<EndpointRow | null> {
  return db
    .prepare(`SELECT ${ENDPOINT_COLUMNS} FROM siem_endpoints WHERE tenant_id = ? AND id = ?`)
    .bind(tenantId, id)
    .first<EndpointRow>();
}

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));

/** Rows with their lag and the age of their oldest undelivered event, in one D1 round trip. */
export async function withStatus(
  db: D1Database,
  tenantId: string,
  rows: EndpointRow[],
): Promise<SiemEndpoint[]> {
  const oldest = db.prepare(
    "SELECT received_at FROM audit_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT 1",
  );
  const [head, ...buffered] = await db.batch([
    db.prepare(HEAD_SQL).bind(tenantId),
    ...rows.map((r) => oldest.bind(tenantId, r.cursor_seq)),
  ]);
  const headSeq = (head?.results[0] as { head: number } | undefined)?.head ?? 0;
  return rows.map((r, i) => {
    const since = (buffered[i]?.results[0] as { received_at: number } | undefined)?.received_at ?? null;
    return {
      id: r.id,
      name: r.name,
      url: r.url,
      format: r.format,
      enabled: r.enabled === 1,
      created_at: isoTime(r.created_at),
      created_by: r.created_by,
      cursor_seq: r.cursor_seq,
      head_seq: headSeq,
      lag: Math.max(0, headSeq - r.cursor_seq),
      delivered_count: r.delivered_count,
      attempts: r.attempts,
      last_attempt_at: iso(r.last_attempt_at),
      last_success_at: iso(r.last_success_at),
      last_status: r.last_status,
      last_error: r.last_error,
      next_attempt_at: iso(r.next_attempt_at),
      buffered_since: iso(since),
    };
  });
}
