import { eq } from "drizzle-orm";
import type { Orm } from "../db/client";
import { tenants } from "../db/schema";
import type { Tenant } from "../env";

/**
 * A live tenant, for code that starts from a tenant id (queue messages, sweeps); with
 * `includeDeleted`, also a deleted one (its audit log is kept and archived until purged).
 */
export async function findTenant(
  db: Orm,
  id: string,
  opts: { includeDeleted?: boolean } = {},
): Promise<Tenant | undefined> {
  const [row] = await db
    .select({ id: tenants.id, name: tenants.name, dataDb: tenants.dataDb, deletedAt: tenants.deletedAt })
    .from(tenants)
    .where(eq(tenants.id, id));
  if (!row || (row.deletedAt !== null && !opts.includeDeleted)) return undefined;
  return { id: row.id, name: row.name, dataDb: row.dataDb };
}
