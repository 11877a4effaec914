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

/** A request body as read by lib/body's middleware (type kept here so env.ts imports nothing). */
type RequestBody = { bytes: Uint8Array; json?: unknown };

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The client's own X-Request-Id, if it sent one (kept apart from ours, never trusted as ours). */
    clientRequestId: string | undefined;
    principal: Principal;
    body: RequestBody | undefined;
  };
};
