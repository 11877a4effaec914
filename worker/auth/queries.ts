import { and, eq, gt, isNull } from "drizzle-orm";
import type { Orm } from "../db/client";
import { sessions, tenants, users } from "../db/schema";

/**
 * The session behind a cookie with its user and live tenant, in one query per request (the one
 * read that joins other features' tables, kept here for speed).
 */
export async function findSession(db: Orm, sessionId: string, now: number) {
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

/** Ends the sessions of one user, or of the whole tenant (a statement for the caller's batch). */
export function revokeSessions(db: Orm, scope: { tenantId: string; userId?: string }, now: number) {
  const where = [eq(sessions.tenantId, scope.tenantId), isNull(sessions.revokedAt)];
  if (scope.userId) where.push(eq(sessions.userId, scope.userId));
  return db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(...where));
}
