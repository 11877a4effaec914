import type { Principal } from "../env";
import type { ApprovalRef } from "./record";
import type { AuditRecorder } from "./recorder";

/**
 * Deleting a tenant closes it: sign-in and every key stop working at once, data stays until the
 * purge (the audit log must outlive the tenant for its retention period). Owner only; needs a
 * second owner/admin by default.
 */
export async function deleteTenant(rec: AuditRecorder, p: Principal, approval?: ApprovalRef) {
  const db = rec.env.DB;
  const now = Date.now();
  await rec.commit(
    db,
    [
      db
        .prepare("UPDATE tenants SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
        .bind(now, p.tenant.id),
      db
        .prepare("UPDATE sessions SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL")
        .bind(now, p.tenant.id),
      db
        .prepare("UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL")
        .bind(now, p.tenant.id),
    ],
    [
      {
        event_type: "tenant.delete",
        crud: "d",
        target: [{ type: "tenant", id: p.tenant.id, name: p.tenant.name }],
        approval,
      },
    ],
  );
  return { deleted: true };
}
