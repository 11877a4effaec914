import { traceOwner } from "../auth/visibility";
import type { TenantContext } from "../db/client";
import { NotFoundError } from "../lib/errors";

/**
 * A trace socket needs a trace of the caller's tenant; a viewer's, one they sent themselves.
 * Missing, foreign and not-theirs are the same 404, so existence never leaks.
 */
export async function assertTraceVisible(tenant: TenantContext, traceId: string) {
  const row = await tenant.d1
    .prepare("SELECT created_by_user_id AS owner FROM traces WHERE tenant_id = ? AND id = ?")
    .bind(tenant.id, traceId)
    .first<{ owner: string | null }>();
  const owner = tenant.principal ? traceOwner(tenant.principal) : null;
  if (!row || (owner !== null && row.owner !== owner)) {
    throw new NotFoundError("Trace");
  }
}
