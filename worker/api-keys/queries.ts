import { and, eq, isNull } from "drizzle-orm";
import type { Orm } from "../db/client";
import { apiKeys, tenants, users } from "../db/schema";

/** Resolution of a bearer key for the auth middleware: the key, its user and live tenant, one query. */
export async function findActiveKey(db: Orm, keyHash: string) {
  const [row] = await db
    .select({
      id: apiKeys.id,
      scopes: apiKeys.scopes,
      name: apiKeys.name,
      lastUsedAt: apiKeys.lastUsedAt,
      userId: users.id,
      email: users.email,
      role: users.role,
      tenantId: tenants.id,
      tenantName: tenants.name,
      dataDb: tenants.dataDb,
    })
    .from(apiKeys)
    .innerJoin(users, and(eq(users.id, apiKeys.userId), eq(users.tenantId, apiKeys.tenantId)))
    .innerJoin(tenants, and(eq(tenants.id, apiKeys.tenantId), isNull(tenants.deletedAt)))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

/** Last use is kept to the minute; the middleware calls this after the response (waitUntil). */
export function touchKey(db: Orm, id: string, now: number) {
  return db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id)).run();
}

/** Revokes the keys of one user, or of the whole tenant (a statement for the caller's batch). */
export function revokeKeys(db: Orm, scope: { tenantId: string; userId?: string }, now: number) {
  const where = [eq(apiKeys.tenantId, scope.tenantId), isNull(apiKeys.revokedAt)];
  if (scope.userId) where.push(eq(apiKeys.userId, scope.userId));
  return db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(...where));
}
