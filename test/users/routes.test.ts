import { describe, expect, it } from "vitest";
import {
  as,
  call,
  createKey,
  type ErrorBody,
  login,
  type Session,
  signup,
  unique,
  withKey,
} from "../helpers";

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

  it("refuses a weak password on acceptance and leaves the invitation usable", async () => {
    const owner = await signup();
    const inv = await invite(owner, "member");
    for (const password of ["1234567890", `${inv.email.split("@")[0]}!`]) {
      const res = await accept(inv.token, password);
      expect(res.status, password).toBe(400);
      expect(((await res.json()) as ErrorBody).error.details?.map((d) => d.path)).toEqual(["password"]);
    }
    expect((await accept(inv.token)).status).toBe(201);
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

  it("lists only the users of the caller's tenant", async () => {
    await signup();
    const b = await signup();
    const list = (await (await as(b, "/api/v1/users")).json()) as { data: { id: string }[] };
    expect(list.data.map((u) => u.id)).toEqual([b.userId]);
  });
});

/** Two owners of one tenant: the second is invited as admin and promoted with dual approval. */
async function twoOwners(): Promise<[Session, Session]> {
  const first = await signup();
  const second = await member(first, "admin");
  const asked = await as(first, `/api/v1/users/${second.userId}`, {
    method: "PATCH",
    json: { role: "owner" },
  });
  expect(asked.status).toBe(202);
  const { approval_request_id: id } = (await asked.json()) as { approval_request_id: string };
  expect((await as(second, `/api/v1/approvals/${id}/approve`, { method: "POST" })).status).toBe(200);
  return [first, second];
}

async function roles(s: Session) {
  const list = (await (await as(s, "/api/v1/users")).json()) as { data: { id: string; role: string }[] };
  return new Map(list.data.map((u) => [u.id, u.role]));
}

type LoggedEvent = { seq: number; event_type: string; changes: { before: { role: string } | null } };

async function userEvents(s: Session) {
  const res = await as(s, "/api/v1/audit/events?event_type=user.change_role,user.delete&limit=200");
  return ((await res.json()) as { data: LoggedEvent[] }).data.reverse();
}

const RACES = 6;
/** Six rounds of sign-ups, invitations and approvals each: seconds on a busy machine. */
const RACE_TIMEOUT = 60_000;

describe("the last owner under concurrent changes", () => {
  it(
    "lets only one of two owners demoting each other at once succeed, and records only that change",
    async () => {
      for (let round = 0; round < RACES; round++) {
        const [a, b] = await twoOwners();
        const results = await Promise.all([
          as(a, `/api/v1/users/${b.userId}`, { method: "PATCH", json: { role: "admin" } }),
          as(b, `/api/v1/users/${a.userId}`, { method: "PATCH", json: { role: "admin" } }),
        ]);
        // The loser is refused by the guard, or, when the other change landed before its request
        // was signed in, as an admin who may not change an owner.
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === 200)).toHaveLength(1);
        const refused = results.find((r) => r.status !== 200) as Response;
        expect([403, 409]).toContain(refused.status);
        if (refused.status === 409) {
          expect(((await refused.json()) as ErrorBody).error.message).toMatch(/last owner/);
        }
        const winner = results[0]?.status === 200 ? a : b;
        const now = await roles(winner);
        expect([now.get(a.userId), now.get(b.userId)].filter((r) => r === "owner")).toHaveLength(1);
        expect((await userEvents(winner)).filter((e) => e.event_type === "user.change_role")).toHaveLength(2);
      }
    },
    RACE_TIMEOUT,
  );

  it(
    "lets only one of two owners removing each other at once succeed, and records only that removal",
    async () => {
      for (let round = 0; round < RACES; round++) {
        const [a, b] = await twoOwners();
        const results = await Promise.all([
          as(a, `/api/v1/users/${b.userId}`, { method: "DELETE" }),
          as(b, `/api/v1/users/${a.userId}`, { method: "DELETE" }),
        ]);
        // The loser is refused by the guard, or, when the other removal ended its session first, at sign-in.
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === 204)).toHaveLength(1);
        expect([401, 409]).toContain(statuses.find((s) => s !== 204));
        const winner = results[0]?.status === 204 ? a : b;
        const now = await roles(winner);
        expect([...now.values()]).toContain("owner");
        expect(now.size).toBe(1);
        expect((await userEvents(winner)).filter((e) => e.event_type === "user.delete")).toHaveLength(1);
      }
    },
    RACE_TIMEOUT,
  );

  it(
    "records no role change for a user removed while the change was on its way",
    async () => {
      for (let round = 0; round < RACES; round++) {
        const owner = await signup();
        const user = await member(owner, "member");
        const [patched] = await Promise.all([
          as(owner, `/api/v1/users/${user.userId}`, { method: "PATCH", json: { role: "viewer" } }),
          as(owner, `/api/v1/users/${user.userId}`, { method: "DELETE" }),
        ]);
        const events = await userEvents(owner);
        const removal = events.findIndex((e) => e.event_type === "user.delete");
        const change = events.findIndex((e) => e.event_type === "user.change_role");
        expect(removal).toBeGreaterThanOrEqual(0);
        // A change that did happen came before the removal, which then saw its role.
        if (patched.status === 200) {
          expect(change).toBeLessThan(removal);
          expect(events[removal]?.changes.before?.role).toBe("viewer");
        } else {
          // 409: the guard saw the removal; 404: the removal had landed before the change was read.
          expect([404, 409]).toContain(patched.status);
          expect(change).toBe(-1);
        }
      }
    },
    RACE_TIMEOUT,
  );
});
