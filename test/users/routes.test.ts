import { describe, expect, it } from "vitest";
import { as, call, createKey, login, type Session, signup, unique, withKey } from "../helpers";

async function invite(s: Session, role: string) {
  const email = `${unique()}@example.com`;
  const res = await as(s, "/api/v1/users/invitations", { method: "POST", json: { email, role } });
  expect(res.status).toBe(201);
  return { email, ...((await res.json()) as { id: string; token: string; accept_url: string }) };
}

async function accept(token: string, password = "another good password") {
  return call("/api/v1/auth/accept-invitation", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": unique("ip") },
    body: JSON.stringify({ token, password }),
  });
}

async function member(owner: Session, role: string) {
  const inv = await invite(owner, role);
  expect((await accept(inv.token)).status).toBe(201);
  return login(inv.email, "another good password");
}

describe("invitations", () => {
  it("creates a single-use accept link that signs the invitee into the tenant", async () => {
    const owner = await signup();
    const inv = await invite(owner, "member");
    expect(inv.accept_url).toContain(`/accept-invitation?token=${inv.token}`);
    const res = await accept(inv.token);
    expect(res.status).toBe(201);
    const me = (await res.json()) as { tenant: { id: string }; user: { role: string } };
    expect(me.tenant.id).toBe(owner.tenantId);
    expect(me.user.role).toBe("member");
    expect((await accept(inv.token)).status).toBe(404);
  });

  it("rejects an invalid role and writes nothing", async () => {
    const owner = await signup();
    const res = await as(owner, "/api/v1/users/invitations", {
      method: "POST",
      json: { email: "x@example.com", role: "owner" },
    });
    expect(res.status).toBe(400);
    const list = (await (await as(owner, "/api/v1/users/invitations")).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(0);
  });

  it("does not let members or viewers invite", async () => {
    const owner = await signup();
    const viewer = await member(owner, "viewer");
    const res = await as(viewer, "/api/v1/users/invitations", {
      method: "POST",
      json: { email: "y@example.com", role: "viewer" },
    });
    expect(res.status).toBe(403);
  });

  it("returns 404 when revoking another tenant's invitation", async () => {
    const a = await signup();
    const b = await signup();
    const inv = await invite(a, "viewer");
    expect((await as(b, `/api/v1/users/invitations/${inv.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await as(a, `/api/v1/users/invitations/${inv.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await accept(inv.token)).status).toBe(404);
  });
});

describe("users and roles", () => {
  it("lets an admin change a member's role but not make an owner", async () => {
    const owner = await signup();
    const admin = await member(owner, "admin");
    const user = await member(owner, "member");
    const ok = await as(admin, `/api/v1/users/${user.userId}`, { method: "PATCH", json: { role: "viewer" } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { role: string }).role).toBe("viewer");
    const up = await as(admin, `/api/v1/users/${user.userId}`, { method: "PATCH", json: { role: "owner" } });
    expect(up.status).toBe(403);
  });

  it("rejects a bad role value", async () => {
    const owner = await signup();
    const user = await member(owner, "member");
    const res = await as(owner, `/api/v1/users/${user.userId}`, { method: "PATCH", json: { role: "god" } });
    expect(res.status).toBe(400);
  });

  it("keeps the last owner", async () => {
    const owner = await signup();
    const res = await as(owner, `/api/v1/users/${owner.userId}`, {
      method: "PATCH",
      json: { role: "member" },
    });
    expect(res.status).toBe(409);
  });

  it("removes a user, ending their sessions and revoking their keys", async () => {
    const owner = await signup();
    const user = await member(owner, "member");
    const { key } = await createKey(user);
    expect((await as(owner, `/api/v1/users/${user.userId}`, { method: "DELETE" })).status).toBe(204);
    expect((await as(user, "/api/v1/auth/me")).status).toBe(401);
    expect((await withKey(key, "/api/v1/traces")).status).toBe(401);
    const list = (await (await as(owner, "/api/v1/users")).json()) as { data: { id: string }[] };
    expect(list.data.map((u) => u.id)).not.toContain(user.userId);
  });

  it("returns 404 for another tenant's user", async () => {
    const a = await signup();
    const b = await signup();
    expect(
      (await as(b, `/api/v1/users/${a.userId}`, { method: "PATCH", json: { role: "viewer" } })).status,
    ).toBe(404);
    expect((await as(b, `/api/v1/users/${a.userId}`, { method: "DELETE" })).status).toBe(404);
    const list = (await (await as(b, "/api/v1/users")).json()) as { data: { id: string }[] };
    expect(list.data.map((u) => u.id)).toEqual([b.userId]);
  });
});
