import { and, desc, eq, isNull } from "drizzle-orm";
import type { ApprovalRef } from "../audit/record";
import type { AuditRecorder } from "../audit/recorder";
import { scopesAllowed } from "../auth/middleware";
import type { Orm } from "../db/client";
import { apiKeys } from "../db/schema";
import type { Principal } from "../env";
import { sha256Hex } from "../lib/crypto";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { newId, randomToken } from "../lib/ids";
import { isoTime } from "../lib/time";
import type { ApiKey, CreateApiKeyBody } from "./schemas";

export const KEY_PREFIX = "at_";
const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));

type Row = typeof apiKeys.$inferSelect;
function toApiKey(row: Row): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKey["scopes"],
    user_id: row.userId,
    created_at: isoTime(row.createdAt),
    last_used_at: iso(row.lastUsedAt),
    revoked_at: iso(row.revokedAt),
  };
}

const canSeeAll = (p: Principal) => p.role === "owner" || p.role === "admin";

const keyTarget = (row: Row) => [{ type: "api_key", id: row.id, name: row.name }];

export async function createApiKey(db: Orm, rec: AuditRecorder, p: Principal, body: CreateApiKeyBody) {
  const refused = body.scopes.filter((s) => !scopesAllowed(p.role).includes(s));
  if (refused.length) {
    throw new ForbiddenError(`Your role (${p.role}) cannot create keys with: ${refused.join(", ")}`);
  }
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  const row: Row = {
    id: newId("key_"),
    tenantId: p.tenant.id,
    userId: p.userId,
    name: body.name,
    prefix: key.slice(0, 10),
    keyHash: await sha256Hex(key),
    scopes: [...new Set(body.scopes)],
    createdAt: Date.now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await rec.commitControl(
    [db.insert(apiKeys).values(row)],
    [
      {
        event_type: "api_key.create",
        crud: "c",
        target: keyTarget(row),
        changes: { after: { name: row.name, prefix: row.prefix, scopes: row.scopes, user_id: row.userId } },
      },
    ],
  );
  return { ...toApiKey(row), key };
}

/** Owners and admins see every key in the tenant; others see their own. */
export async function listApiKeys(db: Orm, p: Principal) {
  const scope = canSeeAll(p)
    ? eq(apiKeys.tenantId, p.tenant.id)
    : and(eq(apiKeys.tenantId, p.tenant.id), eq(apiKeys.userId, p.userId));
  const rows = await db.select().from(apiKeys).where(scope).orderBy(desc(apiKeys.createdAt)).limit(500);
  return { data: rows.map(toApiKey), next_cursor: null };
}

export async function revokeApiKey(db: Orm, rec: AuditRecorder, p: Principal, id: string) {
  const owned = canSeeAll(p) ? undefined : eq(apiKeys.userId, p.userId);
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, p.tenant.id), eq(apiKeys.id, id), owned));
  if (!row) throw new NotFoundError("API key");
  // Revoking an already revoked key is a no-op that answers like the first time.
  if (row.revokedAt !== null) return toApiKey(row);
  const revokedAt = Date.now();
  await rec.commitControl(
    [
      db
        .update(apiKeys)
        .set({ revokedAt })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))),
    ],
    [
      {
        event_type: "api_key.revoke",
        crud: "u",
        target: keyTarget(row),
        changes: { before: { revoked_at: null }, after: { revoked_at: isoTime(revokedAt) } },
      },
    ],
  );
  return toApiKey({ ...row, revokedAt });
}

/** Every live key of the tenant at once (an incident button; needs a second admin by default). */
export async function revokeAllApiKeys(db: Orm, rec: AuditRecorder, p: Principal, approval?: ApprovalRef) {
  const live = await db
    .select({ id: apiKeys.id, name: apiKeys.name })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, p.tenant.id), isNull(apiKeys.revokedAt)));
  const revokedAt = Date.now();
  await rec.commitControl(
    [
      db
        .update(apiKeys)
        .set({ revokedAt })
        .where(and(eq(apiKeys.tenantId, p.tenant.id), isNull(apiKeys.revokedAt))),
    ],
    [
      {
        event_type: "api_key.revoke_all",
        crud: "u",
        target: live.slice(0, 20).map((k) => ({ type: "api_key", id: k.id, name: k.name })),
        metadata: { revoked: live.length },
        approval,
      },
    ],
  );
  return { revoked: live.length };
}
