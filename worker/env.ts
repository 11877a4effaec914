import type { DrizzleD1Database } from "drizzle-orm/d1";
import type * as schema from "./db/schema";

export type Role = "owner" | "admin" | "member" | "viewer";
export type Scope = "ingest" | "read" | "audit:write";

export type Tenant = { id: string; name: string; dataDb: string };

/** Who is calling: a signed-in user (session cookie) or an API key acting for its user. */
export type Principal = {
  tenant: Tenant;
  userId: string;
  email: string;
  role: Role;
  via: "session" | "api_key";
  scopes: readonly Scope[];
  apiKeyId?: string;
  apiKeyName?: string;
  sessionId?: string;
};

/** A drizzle handle over one of our D1 databases. */
export type Orm = DrizzleD1Database<typeof schema>;

/**
 * Everything tenant-scoped code takes: the tenant, its data database (raw D1 and drizzle), and who
 * is acting (null for queue consumers, cron sweeps and Durable Objects). Made once per request
 * (auth middleware), per queue message or per DO call by worker/db/client.ts; queries read the
 * tenant id from it.
 */
export type TenantContext = Tenant & {
  readonly env: Env;
  readonly principal: Principal | null;
  /** The tenant's data database: traces, spans, agents, rules, evaluations. */
  readonly d1: D1Database;
  readonly db: Orm;
};

/** A request body as read by lib/body's middleware (type kept here so env.ts imports no runtime code). */
type RequestBody = { bytes: Uint8Array; json?: unknown };

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The client's own X-Request-Id, if it sent one (kept apart from ours, never trusted as ours). */
    clientRequestId: string | undefined;
    principal: Principal;
    /** The caller's tenant: its data database and the principal; set with `principal`. */
    tenant: TenantContext;
    body: RequestBody | undefined;
  };
};
