import { env, exports } from "cloudflare:workers";

export const BASE = "http://localhost";
let counter = 0;

export type Session = { cookie: string; csrf: string; tenantId: string; userId: string; email: string };

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

export function unique(label = "user"): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Each caller looks like a different client IP so the per-IP signup limiter stays out of the way. */
const ipHeader = () => ({ "cf-connecting-ip": `10.0.${counter % 250}.${(counter * 7) % 250}` });

function sessionFrom(
  res: Response,
  body: { csrf_token: string; tenant: { id: string }; user: { id: string; email: string } },
): Session {
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0];
  return {
    cookie,
    csrf: body.csrf_token,
    tenantId: body.tenant.id,
    userId: body.user.id,
    email: body.user.email,
  };
}

export async function signup(tenantName = unique("tenant")): Promise<Session> {
  const email = `${unique()}@example.com`;
  const res = await call("/api/v1/auth/signup", {
    method: "POST",
    headers: { "content-type": "application/json", ...ipHeader() },
    body: JSON.stringify({ tenant_name: tenantName, email, password: "correct horse battery" }),
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  return sessionFrom(res, await res.json());
}

/**
 * A sign-up placed on one data database: the placement rule (worker/tenants/placement.ts) is
 * given only that shard as open. The test config opens DB alone (vitest.config.ts), so every
 * other sign-up lands on DB, where the tests that read D1 directly look.
 */
export async function signupOn(shard: "DB" | "DB2", tenantName?: string): Promise<Session> {
  const vars = env as unknown as { DATA_DBS: string };
  const before = vars.DATA_DBS;
  vars.DATA_DBS = `${shard}:1`;
  try {
    return await signup(tenantName);
  } finally {
    vars.DATA_DBS = before;
  }
}

export async function login(email: string, password: string): Promise<Session> {
  const res = await call("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", ...ipHeader() },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return sessionFrom(res, await res.json());
}

/** A request as the signed-in user (cookie + CSRF header on mutations). */
export function as(session: Session, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  headers.set("cookie", session.cookie);
  if (init.method && init.method !== "GET") headers.set("x-csrf-token", session.csrf);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return call(path, { ...init, headers, body });
}

export async function createKey(session: Session, scopes: string[] = ["ingest", "read"]) {
  const res = await as(session, "/api/v1/api-keys", { method: "POST", json: { name: "test key", scopes } });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; key: string; prefix: string };
}

export function withKey(key: string, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return call(path, { ...init, headers, body });
}

export async function ingest(key: string, batch: unknown) {
  const res = await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: batch });
  if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  return res.json();
}

export type ErrorBody = {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
};
