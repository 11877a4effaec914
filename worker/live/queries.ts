import { traceOwner } from "../auth/visibility";
import type { Principal } from "../env";
import { NotFoundError } from "../lib/errors";

/**
 * A trace socket needs a trace of the caller's tenant; a viewer's, one they sent themselves.
 * Missing, foreign and not-theirs are the same 404, so existence never leaks.
 */
export async function assertTraceVisible(db: D1Database, principal: Principal, traceId: string) {
  const row = await db
    .prepare("SELECT created_by_user_id AS owner FROM traces WHERE tenant_id = ? AND id = ?")
    .bind(principal.tenant.id, traceId)
    .first<{ owner: string | null }>();
  const owner = traceOwner(principal);
  if (!row || (owner !== null && row.owner !== owner)) {
    throw new NotFoundError("Trace");
  }
}
