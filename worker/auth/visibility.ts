import type { TenantContext } from "../db/client";
import type { Principal, Role } from "../env";

/**
 * Which traces a caller may read, decided here for every read route (REST, live, analytics):
 * viewers only the traces sent with their own keys; every other role the whole tenant.
 */
export const seesWholeTenant = (role: Role) => role !== "viewer";

/** The user whose traces alone the caller may read, or null for the whole tenant. */
export const traceOwner = (p: Pick<Principal, "role" | "userId">): string | null =>
  seesWholeTenant(p.role) ? null : p.userId;

/** What every read of trace data takes: the tenant's data database, the tenant, whose traces. */
export type TraceReader = { db: D1Database; tenantId: string; owner: string | null };

/** A request's reader: its tenant's data, cut to the principal's own traces for a viewer. */
export function traceReader(tenant: TenantContext): TraceReader {
  return {
    db: tenant.d1,
    tenantId: tenant.id,
    owner: tenant.principal ? traceOwner(tenant.principal) : null,
  };
}
