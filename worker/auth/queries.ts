import { and, eq, gt, isNull } from "drizzle-orm";
import type { ControlDb } from "../db/client";
import { apiKeys, sessions, tenants, users } from "../db/schema";

export async function findSession(db: ControlDb, sessionId: string, now: number) {
  const [row] = await db
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      userId: users.id,
      email: users.email,
      role: users.role,
      tenantId: tenants.id,
      tenantName: tenants.name,
      dataDb: tenants.dataDb,
    })
    .from(sessions)
    .innerJoin(users, and(eq(users.id, sessions.userId), eq(users.tenantId, sessions.tenantId)))
    .innerJoin(tenants, and(eq(tenants.id, sessions.tenantId), isNull(tenants.deletedAt)))
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .limit(1);
  return row;
}

export async function findApiKey(db: ControlDb, keyHash: string) {
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
