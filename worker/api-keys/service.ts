import { and, desc, eq, isNull } from "drizzle-orm";
import type { ControlDb } from "../db/client";
import { apiKeys } from "../db/schema";
import type { Principal } from "../env";
import { sha256Hex } from "../lib/crypto";
import { NotFoundError } from "../lib/errors";
import { newId, randomToken } from "../lib/ids";
import type { ApiKey, CreateApiKeyBody } from "./schemas";

export const KEY_PREFIX = "at_";
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type Row = typeof apiKeys.$inferSelect;
function toApiKey(row: Row): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKey["scopes"],
    user_id: row.userId,
    created_at: new Date(row.createdAt).toISOString(),
    last_used_at: iso(row.lastUsedAt),
    revoked_at: iso(row.revokedAt),
  };
}

const canSeeAll = (p: Principal) => p.role === "owner" || p.role === "admin";

export async function createApiKey(db: ControlDb, p: Principal, body: CreateApiKeyBody) {
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
  await db.insert(apiKeys).values(row);
  return { ...toApiKey(row), key };
}

/** Owners and admins see every key in the tenant; others see their own. */
export async function listApiKeys(db: ControlDb, p: Principal) {
  const scope = canSeeAll(p)
    ? eq(apiKeys.tenantId, p.tenant.id)
    : and(eq(apiKeys.tenantId, p.tenant.id), eq(apiKeys.userId, p.userId));
  const rows = await db.select().from(apiKeys).where(scope).orderBy(desc(apiKeys.createdAt)).limit(500);
  return { data: rows.map(toApiKey), next_cursor: null };
}

export async function revokeApiKey(db: ControlDb, p: Principal, id: string) {
  const owned = canSeeAll(p) ? undefined : eq(apiKeys.userId, p.userId);
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.tenantId, p.tenant.id), eq(apiKeys.id, id), isNull(apiKeys.revokedAt), owned))
    .returning();
  if (row) return toApiKey(row);
  // Revoking an already revoked key is a no-op that answers like the first time.
  const [already] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, p.tenant.id), eq(apiKeys.id, id), owned));
  if (!already) throw new NotFoundError("API key");
  return toApiKey(already);
}
