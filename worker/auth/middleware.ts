import { createMiddleware } from "hono/factory";
import { findActiveKey, touchKey } from "../api-keys/queries";
import { control, tenantContext } from "../db/client";
import type { AppEnv, Principal, Role, Scope } from "../env";
import { sha256Hex } from "../lib/crypto";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";
import { findSession } from "./queries";
import { readSessionToken } from "./session";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const LAST_USED_RESOLUTION_MS = 60_000;

/** What each role may do at most; a key's scopes are cut to its user's role when it is used. */
const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: ["ingest", "read", "audit:write"],
  admin: ["ingest", "read", "audit:write"],
  member: ["ingest", "read", "audit:write"],
  viewer: ["read"],
};

/** Signing in lets a user read; sending traces or audit events takes an API key with that scope. */
const SESSION_SCOPES: readonly Scope[] = ["read"];

export const scopesAllowed = (role: Role): readonly Scope[] => ROLE_SCOPES[role];

type Requirement = {
  /** Scope needed, for API keys and sessions alike (a session has only `read`). */
  scope?: Scope;
  /** Roles allowed; defaults to all. */
  roles?: readonly Role[];
  /** Whether API keys may call this route at all. */
  allowApiKey?: boolean;
};

function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

async function principalFromKey(c: Parameters<typeof readSessionToken>[0], key: string) {
  const env = c.env as Env;
  const { db } = control(env);
  const row = await findActiveKey(db, await sha256Hex(key));
  if (!row) throw new UnauthorizedError("Invalid or revoked API key");
  const now = Date.now();
  // A key's first use is written before the request runs, so anything the request sets off (the
  // live feed's trace.started, which the first-run guide answers by re-reading the key list) already
  // sees it; later touches, at most one a minute, wait for nothing.
  if (!row.lastUsedAt) await touchKey(db, row.id, now);
  else if (now - row.lastUsedAt > LAST_USED_RESOLUTION_MS)
    c.executionCtx.waitUntil(touchKey(db, row.id, now));
  return {
    tenant: { id: row.tenantId, name: row.tenantName, dataDb: row.dataDb },
    userId: row.userId,
    email: row.email,
    role: row.role,
    via: "api_key",
    scopes: (row.scopes as Scope[]).filter((s) => ROLE_SCOPES[row.role].includes(s)),
    apiKeyId: row.id,
    apiKeyName: row.name,
  } satisfies Principal;
}

async function principalFromSession(c: Parameters<typeof readSessionToken>[0], token: string) {
  const row = await findSession(control(c.env as Env).db, await sha256Hex(token), Date.now());
  if (!row) throw new UnauthorizedError("Session expired or signed out");
  if (UNSAFE.has(c.req.method)) checkCsrf(c, row.csrfToken);
  return {
    tenant: { id: row.tenantId, name: row.tenantName, dataDb: row.dataDb },
    userId: row.userId,
    email: row.email,
    role: row.role,
    via: "session",
    scopes: SESSION_SCOPES,
    sessionId: row.sessionId,
  } satisfies Principal;
}

/** Cookie-authenticated mutations need the session's CSRF token and, if sent, a same-site Origin. */
function checkCsrf(c: Parameters<typeof readSessionToken>[0], expected: string) {
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin) {
    throw new ForbiddenError("Cross-origin request refused");
  }
  if (c.req.header("x-csrf-token") !== expected) {
    throw new ForbiddenError("Missing or wrong X-CSRF-Token header");
  }
}

function scopeError(p: Principal, scope: Scope) {
  if (p.via === "session") {
    return new ForbiddenError(
      `This needs an API key with the '${scope}' scope; a signed-in session only reads`,
    );
  }
  if (!ROLE_SCOPES[p.role].includes(scope)) {
    return new ForbiddenError(`The '${scope}' scope is not open to the key's user (role ${p.role})`);
  }
  return new ForbiddenError(`API key lacks the '${scope}' scope`);
}

export function requireAuth(req: Requirement = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = bearerToken(c.req.header("authorization"));
    let principal: Principal;
    if (key) {
      if (req.allowApiKey === false) throw new ForbiddenError("This route needs a signed-in user");
      principal = await principalFromKey(c, key);
    } else {
      const token = readSessionToken(c);
      if (!token) throw new UnauthorizedError();
      principal = await principalFromSession(c, token);
    }
    if (req.scope && !principal.scopes.includes(req.scope)) throw scopeError(principal, req.scope);
    if (req.roles && !req.roles.includes(principal.role)) {
      throw new ForbiddenError(`Requires role: ${req.roles.join(" or ")}`);
    }
    c.set("principal", principal);
    c.set("tenant", tenantContext(c.env, principal.tenant, principal));
    await next();
  });
}
