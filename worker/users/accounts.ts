import { and, eq, gt, isNull } from "drizzle-orm";
import type { Orm } from "../db/client";
import { invitations, tenants, users } from "../db/schema";

/**
 * The users feature owns users and invitations; sign-up and accepting an invitation (in auth) create
 * accounts through these.
 */

export async function emailTaken(db: Orm, email: string) {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  return Boolean(row);
}

export function insertUser(db: Orm, user: typeof users.$inferInsert) {
  return db.insert(users).values(user);
}

/** An invitation that can still be accepted, with its tenant. */
export async function openInvitation(db: Orm, tokenHash: string, now: number) {
  const [invite] = await db
    .select({
      id: invitations.id,
      tenantId: invitations.tenantId,
      email: invitations.email,
      role: invitations.role,
      tenantName: tenants.name,
      dataDb: tenants.dataDb,
    })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(
      and(
        eq(invitations.tokenHash, tokenHash),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .limit(1);
  return invite;
}

export function markInvitationAccepted(db: Orm, id: string, now: number) {
  return db.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, id));
}
