import { auditLog, type TenantContext } from "../../db/client";
/**
 * SIEM endpoint management. Every change is committed in one D1 batch with its audit event
 * (`siem.endpoint.create|update|delete`, `siem.secret.rotate`); secrets never appear in events.
 */
import type { Principal } from "../../env";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { AuditRecorder } from "../recorder";
import { postSigned } from "./deliver";
import { kickEndpoint } from "./kick";
import type { SiemEndpoint, SiemEndpointCreate, SiemEndpointPatch } from "./schemas";
import { decryptSecret, encryptSecret, newSigningSecret } from "./secret";
import { ENDPOINT_COLUMNS, type EndpointRow, getEndpoint, withStatus } from "./store";
import { allowPrivateOutbound, checkOutboundUrl } from "./url";

export const MAX_ENDPOINTS_PER_TENANT = 20;

function checkedUrl(env: Env, raw: string): string {
  const check = checkOutboundUrl(raw, allowPrivateOutbound(env));
  if (!check.ok)
    throw new ValidationError("Please correct the highlighted fields", [
      { path: "url", message: check.reason },
    ]);
  return check.url.href;
}

async function mustGet(db: D1Database, tenantId: string, id: string): Promise<EndpointRow> {
  const row = await getEndpoint(db, tenantId, id);
  if (!row) throw new NotFoundError("SIEM endpoint");
  return row;
}

const targetOf = (r: { id: string; name: string }) => [{ type: "siem_endpoint", id: r.id, name: r.name }];
const configOf = (r: EndpointRow) => ({
  name: r.name,
  url: r.url,
  format: r.format,
  enabled: r.enabled === 1,
});

export async function listEndpoints(tenant: TenantContext): Promise<{ data: SiemEndpoint[] }> {
  const { d1: db } = auditLog(tenant);
  const tenantId = tenant.id;
  const { results } = await db
    .prepare(`SELECT ${ENDPOINT_COLUMNS} FROM siem_endpoints WHERE tenant_id = ? ORDER BY created_at, id`)
    .bind(tenantId)
    .all<EndpointRow>();
  return { data: await withStatus(db, tenantId, results) };
}

export async function readEndpoint(tenant: TenantContext, id: string): Promise<SiemEndpoint> {
  const { d1: db } = auditLog(tenant);
  const tenantId = tenant.id;
  const [out] = await withStatus(db, tenantId, [await mustGet(db, tenantId, id)]);
  if (!out) throw new NotFoundError("SIEM endpoint");
  return out;
}

export async function createEndpoint(rec: AuditRecorder, p: Principal, input: SiemEndpointCreate) {
  const env = rec.env;
  const db = rec.d1;
  const tenantId = p.tenant.id;
  const url = checkedUrl(env, input.url);
  const count = await db
    .prepare("SELECT count(*) AS n FROM siem_endpoints WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ n: number }>();
  if ((count?.n ?? 0) >= MAX_ENDPOINTS_PER_TENANT) {
    throw new ConflictError(`A tenant can have at most ${MAX_ENDPOINTS_PER_TENANT} SIEM endpoints`);
  }
  const id = newId("siem_");
  const secret = newSigningSecret();
  const cipher = await encryptSecret(env, tenantId, id, secret);
  // "now" starts at the current head, so the endpoint's own creation event is its first delivery.
  const insert = db
    .prepare(
      `INSERT INTO siem_endpoints (id, tenant_id, name, url, format, secret_cipher, enabled, cursor_seq, created_at, created_by)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
         CASE WHEN ?8 = 'beginning' THEN 0 ELSE (SELECT COALESCE(MAX(seq), 0) FROM audit_events WHERE tenant_id = ?2) END,
         ?9, ?10)`,
    )
    .bind(
      id,
      tenantId,
      input.name,
      url,
      input.format,
      cipher,
      input.enabled ? 1 : 0,
      input.start,
      Date.now(),
      p.userId,
    );
  await rec.commit(
    [insert],
    [
      {
        event_type: "siem.endpoint.create",
        crud: "c",
        target: targetOf({ id, name: input.name }),
        changes: {
          after: { name: input.name, url, format: input.format, enabled: input.enabled, start: input.start },
        },
      },
    ],
  );
  // The commit's own wake-up may be throttled (recorder.ts); a new endpoint starts at once.
  if (input.enabled) await kickEndpoint(env, tenantId, id);
  return { ...(await readEndpoint(rec.tenant, id)), secret };
}

export async function updateEndpoint(rec: AuditRecorder, p: Principal, id: string, patch: SiemEndpointPatch) {
  const env = rec.env;
  const db = rec.d1;
  const row = await mustGet(db, p.tenant.id, id);
  const before = configOf(row);
  const after = {
    name: patch.name ?? before.name,
    url: patch.url === undefined ? before.url : checkedUrl(env, patch.url),
    format: patch.format ?? before.format,
    enabled: patch.enabled ?? before.enabled,
  };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => after[k] !== before[k]);
  if (!changed.length) return readEndpoint(rec.tenant, id);
  // A new URL, or switching delivery back on, is retried at once rather than after the old backoff.
  const resume = changed.includes("url") || (changed.includes("enabled") && after.enabled) ? 1 : 0;
  const update = db
    .prepare(
      `UPDATE siem_endpoints SET name = ?1, url = ?2, format = ?3, enabled = ?4,
         attempts = CASE WHEN ?5 THEN 0 ELSE attempts END,
         next_attempt_at = CASE WHEN ?5 THEN NULL ELSE next_attempt_at END
       WHERE tenant_id = ?6 AND id = ?7`,
    )
    .bind(after.name, after.url, after.format, after.enabled ? 1 : 0, resume, p.tenant.id, id);
  const pick = (o: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, o[k]]));
  await rec.commit(
    [update],
    [
      {
        event_type: "siem.endpoint.update",
        crud: "u",
        target: targetOf({ id, name: after.name }),
        changes: { before: pick(before), after: pick(after) },
      },
    ],
  );
  if (resume) await kickEndpoint(env, p.tenant.id, id);
  return readEndpoint(rec.tenant, id);
}

export async function deleteEndpoint(rec: AuditRecorder, p: Principal, id: string): Promise<void> {
  const db = rec.d1;
  const row = await mustGet(db, p.tenant.id, id);
  await rec.commit(
    [db.prepare("DELETE FROM siem_endpoints WHERE tenant_id = ? AND id = ?").bind(p.tenant.id, id)],
    [
      {
        event_type: "siem.endpoint.delete",
        crud: "d",
        target: targetOf(row),
        changes: { before: configOf(row) },
        metadata: { cursor_seq: row.cursor_seq, delivered_count: row.delivered_count },
      },
    ],
  );
}

export async function rotateSecret(rec: AuditRecorder, p: Principal, id: string) {
  const env = rec.env;
  const db = rec.d1;
  const row = await mustGet(db, p.tenant.id, id);
  const secret = newSigningSecret();
  const cipher = await encryptSecret(env, p.tenant.id, id, secret);
  await rec.commit(
    [
      db
        .prepare("UPDATE siem_endpoints SET secret_cipher = ? WHERE tenant_id = ? AND id = ?")
        .bind(cipher, p.tenant.id, id),
    ],
    [{ event_type: "siem.secret.rotate", crud: "u", target: targetOf(row) }],
  );
  return { id, secret };
}

/** One signed request with no events (`{"test":true,"events":[]}`) to the endpoint, now. */
export async function testEndpoint(rec: AuditRecorder, p: Principal, id: string) {
  const env = rec.env;
  const row = await mustGet(rec.d1, p.tenant.id, id);
  const secret = await decryptSecret(env, p.tenant.id, id, row.secret_cipher);
  const result = await postSigned(
    env,
    row,
    secret,
    JSON.stringify({ test: true, endpoint_id: id, events: [] }),
  );
  await rec.record({
    event_type: "siem.endpoint.test",
    crud: "r",
    target: targetOf(row),
    outcome: result.ok ? "success" : "failure",
    ...(result.ok ? {} : { error: { code: "siem_test_failed", message: result.error ?? "failed" } }),
    metadata: { status: result.status, delivery_id: result.deliveryId, duration_ms: result.durationMs },
  });
  return {
    ok: result.ok,
    status: result.status,
    error: result.error,
    duration_ms: result.durationMs,
    delivery_id: result.deliveryId,
  };
}
