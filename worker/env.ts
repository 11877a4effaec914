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

export type AppEnv = {
  Bindings: Env;
  Variables: { requestId: string; principal: Principal };
};
