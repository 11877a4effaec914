import { and, eq, sql } from "drizzle-orm";
import type { AuditRecorder } from "../audit/recorder";
import type { DataShard, Orm } from "../db/client";
import { loginFailures, sessions, tenants, users } from "../db/schema";
import type { Role, Tenant } from "../env";
import { burnPasswordCheck, hashPassword, sha256Hex, verifyPassword } from "../lib/crypto";
import {
  ConflictError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from "../lib/errors";
import { newId } from "../lib/ids";
import { emailName, personalPasswordProblem } from "../lib/password-strength";
import { insertTenant, newTenant } from "../tenants/service";
import { emailTaken, insertUser, markInvitationAccepted, openInvitation } from "../users/accounts";
import type { AcceptInvitationBody, LoginBody, Me, SignupBody } from "./schemas";
import { newSessionSecrets, SESSION_TTL_MS } from "./session";

const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_WINDOW = 10;

export type SignedIn = { token: string; me: Me };

/** The recorder for an event in `tenant` by the user `user` (routes build it from the request). */
export type AuditFor = (tenant: Tenant, user: { id: string; email: string }) => AuditRecorder;

const tenantOf = (row: { tenantId: string; tenantName: string; dataDb: string }): Tenant => ({
  id: row.tenantId,
  name: row.tenantName,
  dataDb: row.dataDb,
});

function sessionRow(tenantId: string, userId: string, now: number) {
  const { token, csrfToken } = newSessionSecrets();
  return {
    token,
    csrfToken,
    row: (id: string) => ({
      id,
      tenantId,
      userId,
      csrfToken,
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
    }),
  };
}

/** `onTenantCreated` seeds the new tenant (the governor installs its default rule packs). */
export async function signup(
  db: Orm,
  audit: AuditFor,
  body: SignupBody,
  shards: readonly DataShard[],
  onTenantCreated: (rec: AuditRecorder) => Promise<void> = async () => {},
): Promise<SignedIn> {
  if (await emailTaken(db, body.email)) {
    throw new ConflictError("An account with this email already exists; log in instead");
  }
  const now = Date.now();
  const tenant = newTenant(body.tenant_name, now, shards);
  const user = {
    id: newId("u_"),
    tenantId: tenant.id,
    email: body.email,
    role: "owner" as const,
    passwordHash: await hashPassword(body.password),
    createdAt: now,
  };
  const session = sessionRow(tenant.id, user.id, now);
  const rec = audit(tenant, user);
  await rec.commitControl(
    [
      insertTenant(db, tenant),
      insertUser(db, user),
      db.insert(sessions).values(session.row(await sha256Hex(session.token))),
    ],
    [
      {
        event_type: "tenant.create",
        crud: "c",
        target: [
          { type: "tenant", id: tenant.id, name: tenant.name },
          { type: "user", id: user.id, name: user.email },
        ],
        changes: { after: { tenant_name: tenant.name, owner_email: user.email } },
      },
    ],
  );
  await onTenantCreated(rec);
  return {
    token: session.token,
    me: {
      user: { id: user.id, email: user.email, role: user.role },
      tenant: { id: tenant.id, name: tenant.name },
      csrf_token: session.csrfToken,
    },
  };
}

async function recentFailures(db: Orm, email: string, windowStart: number) {
  const [row] = await db
    .select({ count: loginFailures.count })
    .from(loginFailures)
    .where(and(eq(loginFailures.email, email), eq(loginFailures.windowStart, windowStart)));
  return row?.count ?? 0;
}

function countFailure(db: Orm, email: string, windowStart: number) {
  return db
    .insert(loginFailures)
    .values({ email, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [loginFailures.email, loginFailures.windowStart],
      set: { count: sql`${loginFailures.count} + 1` },
    });
}

/** A failed login is counted; when the email is a user's, it is also an event in their tenant. */
async function recordFailure(
  db: Orm,
  audit: AuditFor,
  body: LoginBody,
  windowStart: number,
  user: { id: string; tenantId: string; tenantName: string; dataDb: string; email: string } | undefined,
) {
  if (!user) {
    await countFailure(db, body.email, windowStart);
    return;
  }
  const rec = audit(tenantOf(user), user);
  await rec.commitControl(
    [countFailure(db, body.email, windowStart)],
    [
      {
        event_type: "user.login",
        crud: "c",
        outcome: "failure",
        error: { code: "unauthorized", message: "wrong password" },
        target: [{ type: "user", id: user.id, name: user.email }],
      },
    ],
  );
}

export async function login(db: Orm, audit: AuditFor, body: LoginBody): Promise<SignedIn> {
  const now = Date.now();
  const windowStart = now - (now % FAILURE_WINDOW_MS);
  if ((await recentFailures(db, body.email, windowStart)) >= MAX_FAILURES_PER_WINDOW) {
    throw new RateLimitedError("Too many failed logins for this account; try again in 15 minutes");
  }
  const [user] = await db
    .select({
      id: users.id,
      tenantId: users.tenantId,
      email: users.email,
      role: users.role,
      passwordHash: users.passwordHash,
      tenantName: tenants.name,
      dataDb: tenants.dataDb,
    })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(eq(users.email, body.email))
    .limit(1);
  const ok = user
    ? await verifyPassword(body.password, user.passwordHash)
    : await burnPasswordCheck(body.password).then(() => false);
  if (!user || !ok) {
    await recordFailure(db, audit, body, windowStart, user);
    throw new UnauthorizedError("Wrong email or password");
  }
  const session = sessionRow(user.tenantId, user.id, now);
  const rec = audit(tenantOf(user), user);
  await rec.commitControl(
    [db.insert(sessions).values(session.row(await sha256Hex(session.token)))],
    [{ event_type: "user.login", crud: "c", target: [{ type: "user", id: user.id, name: user.email }] }],
  );
  return {
    token: session.token,
    me: {
      user: { id: user.id, email: user.email, role: user.role },
      tenant: { id: user.tenantId, name: user.tenantName },
      csrf_token: session.csrfToken,
    },
  };
}

export async function logout(db: Orm, rec: AuditRecorder, sessionId: string) {
  await rec.commitControl(
    [db.update(sessions).set({ revokedAt: Date.now() }).where(eq(sessions.id, sessionId))],
    [{ event_type: "user.logout", crud: "u", target: [{ type: "user", id: rec.source.actor.id }] }],
  );
}

export async function describeSession(db: Orm, sessionId: string): Promise<Me> {
  const [row] = await db
    .select({
      csrfToken: sessions.csrfToken,
      userId: users.id,
      email: users.email,
      role: users.role,
      tenantId: tenants.id,
      tenantName: tenants.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(tenants, eq(tenants.id, sessions.tenantId))
    .where(eq(sessions.id, sessionId));
  if (!row) throw new UnauthorizedError();
  return {
    user: { id: row.userId, email: row.email, role: row.role },
    tenant: { id: row.tenantId, name: row.tenantName },
    csrf_token: row.csrfToken,
  };
}

export async function acceptInvitation(
  db: Orm,
  audit: AuditFor,
  body: AcceptInvitationBody,
): Promise<SignedIn> {
  const now = Date.now();
  const invite = await openInvitation(db, await sha256Hex(body.token), now);
  if (!invite) throw new NotFoundError("Invitation (it may be used, revoked or expired)");
  // The schema knew neither the invitee's email nor the tenant: the same rule as at sign-up.
  const problem = personalPasswordProblem(body.password, [emailName(invite.email), invite.tenantName]);
  if (problem) {
    throw new ValidationError("Please correct the highlighted fields", [
      { path: "password", message: problem },
    ]);
  }
  if (await emailTaken(db, invite.email))
    throw new ConflictError("An account with this email already exists");
  const user = {
    id: newId("u_"),
    tenantId: invite.tenantId,
    email: invite.email,
    role: invite.role as Role,
    passwordHash: await hashPassword(body.password),
    createdAt: now,
  };
  const session = sessionRow(invite.tenantId, user.id, now);
  // users_email_idx makes a concurrent second use of the token fail this whole batch.
  const rec = audit(tenantOf(invite), user);
  await rec.commitControl(
    [
      markInvitationAccepted(db, invite.id, now),
      insertUser(db, user),
      db.insert(sessions).values(session.row(await sha256Hex(session.token))),
    ],
    [
      {
        event_type: "invitation.accept",
        crud: "c",
        target: [
          { type: "invitation", id: invite.id, name: invite.email },
          { type: "user", id: user.id, name: user.email },
        ],
        changes: { after: { email: user.email, role: user.role } },
      },
    ],
  );
  return {
    token: session.token,
    me: {
      user: { id: user.id, email: user.email, role: user.role },
      tenant: { id: invite.tenantId, name: invite.tenantName },
      csrf_token: session.csrfToken,
    },
  };
}
