import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { revokeKeys } from "../api-keys/queries";
import type { ApprovalRef } from "../audit/record";
import type { AuditRecorder } from "../audit/recorder";
import { revokeSessions } from "../auth/queries";
import type { Orm } from "../db/client";
import { invitations, users } from "../db/schema";
import type { Principal, Role } from "../env";
import { sha256Hex } from "../lib/crypto";
import { ConflictError, ForbiddenError, NotFoundError } from "../lib/errors";
import { newId, randomToken } from "../lib/ids";
import { isoTime as iso } from "../lib/time";
import { commitGuarded } from "./guarded-commit";
import type { Invitation, InviteBody, User } from "./schemas";

const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export async function listUsers(db: Orm, p: Principal) {
  const rows = await db.select().from(users).where(eq(users.tenantId, p.tenant.id)).orderBy(users.createdAt);
  return {
    data: rows.map((u): User => ({ id: u.id, email: u.email, role: u.role, created_at: iso(u.createdAt) })),
    next_cursor: null,
  };
}

function toInvitation(row: typeof invitations.$inferSelect): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    created_at: iso(row.createdAt),
    expires_at: iso(row.expiresAt),
    accepted_at: row.acceptedAt === null ? null : iso(row.acceptedAt),
  };
}

export async function invite(db: Orm, rec: AuditRecorder, p: Principal, body: InviteBody, origin: string) {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, body.email));
  if (existing) throw new ConflictError("A user with this email already exists");
  const token = randomToken(32);
  const now = Date.now();
  const row = {
    id: newId("inv_"),
    tenantId: p.tenant.id,
    email: body.email,
    role: body.role,
    tokenHash: await sha256Hex(token),
    invitedBy: p.userId,
    createdAt: now,
    expiresAt: now + INVITATION_TTL_MS,
    acceptedAt: null,
    revokedAt: null,
  };
  await rec.commitControl(
    [db.insert(invitations).values(row)],
    [
      {
        event_type: "invitation.create",
        crud: "c",
        target: [{ type: "invitation", id: row.id, name: row.email }],
        changes: { after: { email: row.email, role: row.role, expires_at: iso(row.expiresAt) } },
      },
    ],
  );
  const acceptUrl = `${origin}/accept-invitation?token=${encodeURIComponent(token)}`;
  return { ...toInvitation(row), token, accept_url: acceptUrl };
}

export async function listInvitations(db: Orm, p: Principal) {
  const rows = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, p.tenant.id), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt))
    .limit(500);
  return { data: rows.map(toInvitation), next_cursor: null };
}

export async function revokeInvitation(db: Orm, rec: AuditRecorder, p: Principal, id: string) {
  const open = and(
    eq(invitations.tenantId, p.tenant.id),
    eq(invitations.id, id),
    isNull(invitations.acceptedAt),
    isNull(invitations.revokedAt),
  );
  const [row] = await db.select().from(invitations).where(open);
  if (!row) throw new NotFoundError("Invitation");
  await rec.commitControl(
    [db.update(invitations).set({ revokedAt: Date.now() }).where(open)],
    [
      {
        event_type: "invitation.revoke",
        crud: "u",
        target: [{ type: "invitation", id: row.id, name: row.email }],
      },
    ],
  );
}

async function userInTenant(db: Orm, p: Principal, id: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, p.tenant.id), eq(users.id, id)));
  if (!row) throw new NotFoundError("User");
  return row;
}

/** Only owners grant or take away ownership; that the tenant keeps an owner is checked in the write. */
function assertMayChange(p: Principal, target: typeof users.$inferSelect, newRole?: Role) {
  if ((target.role === "owner" || newRole === "owner") && p.role !== "owner") {
    throw new ForbiddenError("Only an owner can change an owner or make one");
  }
}

/** Checks before a role change; granting ownership may then need a second admin (the caller's call). */
export async function checkRoleChange(db: Orm, p: Principal, id: string, role: Role) {
  const target = await userInTenant(db, p, id);
  assertMayChange(p, target, role);
  return target;
}

export async function changeRole(
  db: Orm,
  rec: AuditRecorder,
  p: Principal,
  id: string,
  role: Role,
  approval?: ApprovalRef,
) {
  const target = await checkRoleChange(db, p, id, role);
  await commitGuarded(
    rec,
    { target, newRole: role },
    [
      db
        .update(users)
        .set({ role })
        .where(and(eq(users.tenantId, p.tenant.id), eq(users.id, id))),
    ],
    {
      event_type: "user.change_role",
      crud: "u",
      target: [{ type: "user", id: target.id, name: target.email }],
      changes: { before: { role: target.role }, after: { role } },
      approval,
    },
  );
  return { id: target.id, email: target.email, role, created_at: iso(target.createdAt) } satisfies User;
}

/** Removing a user also ends their sessions and revokes their API keys, in one batch. */
export async function removeUser(db: Orm, rec: AuditRecorder, p: Principal, id: string) {
  const target = await userInTenant(db, p, id);
  assertMayChange(p, target);
  const now = Date.now();
  await commitGuarded(
    rec,
    { target, newRole: null },
    [
      revokeSessions(db, { tenantId: p.tenant.id, userId: id }, now),
      revokeKeys(db, { tenantId: p.tenant.id, userId: id }, now),
      db.delete(users).where(and(eq(users.tenantId, p.tenant.id), eq(users.id, id))),
    ],
    {
      event_type: "user.delete",
      crud: "d",
      target: [{ type: "user", id: target.id, name: target.email }],
      changes: { before: { email: target.email, role: target.role }, after: null },
    },
  );
}

/** A member as the approvals feature needs them: to act as the requester, or to name people. */
export async function findUser(db: Orm, tenantId: string, id: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
  return row;
}

export async function userEmails(db: Orm, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, [...new Set(ids)])));
  return new Map(rows.map((r) => [r.id, r.email]));
}
