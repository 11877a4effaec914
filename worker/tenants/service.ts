import { and, eq, isNull } from "drizzle-orm";
import { revokeKeys } from "../api-keys/queries";
import type { ApprovalRef } from "../audit/record";
import type { AuditRecorder } from "../audit/recorder";
import { revokeSessions } from "../auth/queries";
import type { DataShard, Orm } from "../db/client";
import { tenants } from "../db/schema";
import type { Principal, Tenant } from "../env";
import { newId } from "../lib/ids";
import { placeTenant } from "./placement";

/**
 * The tenant lifecycle: created at sign-up, found for queue consumers and sweeps, closed by
 * deletion. The one writer of the tenants table.
 */

export type NewTenant = Tenant & { createdAt: number };

/** A new tenant's row, placed on one of the data databases open for new tenants. */
export function newTenant(name: string, now: number, shards: readonly DataShard[]): NewTenant {
  const id = newId("t_");
  return { id, name, dataDb: placeTenant(id, shards), createdAt: now };
}

export function insertTenant(db: Orm, tenant: NewTenant) {
  return db.insert(tenants).values(tenant);
}

/**
 * Deleting a tenant closes it: sign-in and every key stop working at once, data stays until the
 * purge (the audit log must outlive the tenant for its retention period). Owner only; needs a
 * second owner/admin by default.
 */
export async function deleteTenant(rec: AuditRecorder, p: Principal, approval?: ApprovalRef) {
  const { db } = rec.control;
  const now = Date.now();
  await rec.commitControl(
    [
      db
        .update(tenants)
        .set({ deletedAt: now })
        .where(and(eq(tenants.id, p.tenant.id), isNull(tenants.deletedAt))),
      revokeSessions(db, { tenantId: p.tenant.id }, now),
      revokeKeys(db, { tenantId: p.tenant.id }, now),
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
