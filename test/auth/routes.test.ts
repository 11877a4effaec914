import { describe, expect, it } from "vitest";
import { as, call, type ErrorBody, signup, unique } from "../helpers";

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json", "cf-connecting-ip": unique("ip") },
  body: JSON.stringify(body),
});

describe("signup", () => {
  it("creates a tenant and its owner and sets an HttpOnly session cookie", async () => {
    const email = `${unique()}@example.com`;
    const res = await call(
      "/api/v1/auth/signup",
      json({ tenant_name: "Acme", email, password: "long enough pw" }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { role: string; email: string }; tenant: { name: string } };
    expect(body.user).toMatchObject({ role: "owner", email });
    expect(body.tenant.name).toBe("Acme");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/at_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("rejects a short password with the field path and creates nothing", async () => {
    const email = `${unique()}@example.com`;
    const res = await call("/api/v1/auth/signup", json({ tenant_name: "Acme", email, password: "short" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.details?.map((d) => d.path)).toContain("password");
    const login = await call("/api/v1/auth/login", json({ email, password: "short" }));
    expect(login.status).toBe(401);
  });

  it("refuses common passwords and easy patterns with the field path and creates nothing", async () => {
    const weak = [
      "1234567890",
      "          ",
      "password123",
      "P@ssw0rd2024!",
      "qwertyuiop",
      "abcabcabcabc",
      "iloveyou!!",
      "ｐａｓｓｗｏｒｄ１２３",
    ];
    for (const password of weak) {
      const email = `${unique()}@example.com`;
      const res = await call("/api/v1/auth/signup", json({ tenant_name: "Acme", email, password }));
      expect(res.status, password).toBe(400);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.details, password).toEqual([
        { path: "password", message: expect.stringMatching(/^This password is .* longer phrase/) },
      ]);
      expect((await call("/api/v1/auth/login", json({ email, password }))).status).toBe(401);
    }
  });

  it("refuses a password made of the email's name or the organization name", async () => {
    const name = unique("ada");
    const cases = [
      { tenant_name: "Lovelace Analytics", password: "lovelaceanalytics1" },
      { tenant_name: "Acme", password: `${name}2024!` },
    ];
    for (const c of cases) {
      const res = await call("/api/v1/auth/signup", json({ ...c, email: `${name}@example.com` }));
      expect(res.status, c.password).toBe(400);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.details?.map((d) => d.path)).toEqual(["password"]);
      expect(error.details?.[0]?.message).toMatch(/email or organization name/);
    }
  });

  it("accepts a passphrase of unrelated words", async () => {
    const res = await call(
      "/api/v1/auth/signup",
      json({ tenant_name: "Acme", email: `${unique()}@example.com`, password: "purple turnip harbour" }),
    );
    expect(res.status).toBe(201);
  });

  it("refuses a second account with the same email", async () => {
    const s = await signup();
    const res = await call(
      "/api/v1/auth/signup",
      json({ tenant_name: "Other", email: s.email, password: "long enough pw" }),
    );
    expect(res.status).toBe(409);
  });
});

describe("login, me, logout", () => {
  it("signs in, reports the session and revokes it on logout", async () => {
    const s = await signup();
    const res = await call("/api/v1/auth/login", json({ email: s.email, password: "correct horse battery" }));
    expect(res.status).toBe(200);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
    const { csrf_token } = (await res.json()) as { csrf_token: string };
    const session = { ...s, cookie, csrf: csrf_token };

    const me = await as(session, "/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(((await me.json()) as { tenant: { id: string } }).tenant.id).toBe(s.tenantId);

    expect((await as(session, "/api/v1/auth/logout", { method: "POST" })).status).toBe(204);
    expect((await as(session, "/api/v1/auth/me")).status).toBe(401);
    // The first session is independent and still valid.
    expect((await as(s, "/api/v1/auth/me")).status).toBe(200);
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    const s = await signup();
    const wrong = await call("/api/v1/auth/login", json({ email: s.email, password: "not the password" }));
    const unknown = await call(
      "/api/v1/auth/login",
      json({ email: `${unique()}@example.com`, password: "x" }),
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as ErrorBody).error.message).toBe(
      ((await unknown.json()) as ErrorBody).error.message,
    );
  });

  it("locks an account after repeated failed logins", async () => {
    const s = await signup();
    for (let i = 0; i < 10; i++) {
      const r = await call("/api/v1/auth/login", json({ email: s.email, password: `wrong ${i}` }));
      expect(r.status).toBe(401);
    }
    const locked = await call(
      "/api/v1/auth/login",
      json({ email: s.email, password: "correct horse battery" }),
    );
    expect(locked.status).toBe(429);
  });
});

describe("CSRF protection", () => {
  it("refuses a cookie-authenticated mutation without the CSRF header", async () => {
    const s = await signup();
    const res = await call("/api/v1/api-keys", {
      method: "POST",
      headers: { cookie: s.cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "k", scopes: ["ingest"] }),
    });
    expect(res.status).toBe(403);
    const list = await as(s, "/api/v1/api-keys");
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(0);
  });

  it("refuses a cross-origin mutation even with the token", async () => {
    const s = await signup();
    const res = await as(s, "/api/v1/api-keys", {
      method: "POST",
      headers: { origin: "https://evil.example" },
      json: { name: "k", scopes: ["ingest"] },
    });
    expect(res.status).toBe(403);
  });
});
