import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { as, call, createKey, type Session, signup, unique, withKey } from "../helpers";

/** An owner plus a second admin in the same tenant. */
async function twoAdmins(): Promise<{ owner: Session; admin: Session }> {
  const owner = await signup();
  const email = `${unique()}@example.com`;
  const invite = await as(owner, "/api/v1/users/invitations", {
    method: "POST",
    json: { email, role: "admin" },
  });
  const { token } = (await invite.json()) as { token: string };
  const res = await call("/api/v1/auth/accept-invitation", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "10.8.8.8" },
    body: JSON.stringify({ token, password: "second admin password" }),
  });
  const body = (await res.json()) as { csrf_token: string; user: { id: string; email: string } };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return {
    owner,
    admin: {
      cookie,
      csrf: body.csrf_token,
      tenantId: owner.tenantId,
      userId: body.user.id,
      email: body.user.email,
    },
  };
}

const eventTypes = async (s: Session) =>
  (
    (await (await as(s, "/api/v1/audit/events?event_type=approval.*,api_key.*&limit=100")).json()) as {
      data: { event_type: string; outcome: string; approval: unknown }[];
    }
  ).data.reverse();

describe("dual approval", () => {
  it("revoking all keys waits for another admin, who approves; the requester cannot", async () => {
    const { owner, admin } = await twoAdmins();
    const { key } = await createKey(owner);
    const asked = await as(owner, "/api/v1/api-keys/revoke-all", { method: "POST" });
    expect(asked.status).toBe(202);
    const pending = (await asked.json()) as { approval_request_id: string; status: string };
    expect(pending.status).toBe("pending");
    expect((await withKey(key, "/api/v1/traces")).status).toBe(200);

    const self = await as(owner, `/api/v1/approvals/${pending.approval_request_id}/approve`, {
      method: "POST",
    });
    expect(self.status).toBe(403);
    const list = (await (await as(admin, "/api/v1/approvals")).json()) as {
      data: { id: string; can_decide: boolean }[];
    };
    expect(list.data).toEqual([
      expect.objectContaining({ id: pending.approval_request_id, can_decide: true }),
    ]);

    const ok = await as(admin, `/api/v1/approvals/${pending.approval_request_id}/approve`, {
      method: "POST",
      json: { reason: "incident 42" },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { status: string }).status).toBe("approved");
    const approvedEvent = (await (
      await as(owner, "/api/v1/audit/events?event_type=approval.approve&outcome=success")
    ).json()) as {
      data: { reason: string }[];
    };
    expect(approvedEvent.data[0]?.reason).toBe("incident 42");
    expect((await withKey(key, "/api/v1/traces")).status).toBe(401);

    const again = await as(admin, `/api/v1/approvals/${pending.approval_request_id}/approve`, {
      method: "POST",
    });
    expect(again.status).toBe(409);

    const steps = await eventTypes(owner);
    expect(steps.map((e) => `${e.event_type}:${e.outcome}`)).toEqual([
      "api_key.create:success",
      "approval.request:success",
      "approval.approve:failure",
      "approval.approve:success",
      "api_key.revoke_all:success",
    ]);
    expect(steps.at(-1)?.approval).toMatchObject({
      request_id: pending.approval_request_id,
      approvers: [{ id: admin.userId, decision: "approved" }],
    });
  });

  it("expires after its TTL", async () => {
    const { owner, admin } = await twoAdmins();
    const asked = (await (await as(owner, "/api/v1/api-keys/revoke-all", { method: "POST" })).json()) as {
      approval_request_id: string;
    };
    await env.DB.prepare("UPDATE approval_requests SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, asked.approval_request_id)
      .run();
    const late = await as(admin, `/api/v1/approvals/${asked.approval_request_id}/approve`, {
      method: "POST",
    });
    expect(late.status).toBe(409);
    const got = (await (await as(admin, `/api/v1/approvals/${asked.approval_request_id}`)).json()) as {
      status: string;
    };
    expect(got.status).toBe("expired");
    expect((await eventTypes(owner)).map((e) => e.event_type)).toContain("approval.expire");
  });

  it("lowering retention waits; raising does not; reject and cancel end a request", async () => {
    const { owner, admin } = await twoAdmins();
    const raise = await as(owner, "/api/v1/audit/settings", {
      method: "PATCH",
      json: { retention_days: 400 },
    });
    expect(raise.status).toBe(200);
    const lower = await as(owner, "/api/v1/audit/settings", {
      method: "PATCH",
      json: { retention_days: 200, high_risk_types: ["refund.*"] },
    });
    expect(lower.status).toBe(202);
    const { approval_request_id: id } = (await lower.json()) as { approval_request_id: string };
    const now = (await (await as(owner, "/api/v1/audit/settings")).json()) as {
      retention_days: number;
      high_risk_types: string[];
    };
    expect(now).toMatchObject({ retention_days: 400, high_risk_types: ["refund.*"] });
    expect((await as(owner, `/api/v1/approvals/${id}/reject`, { method: "POST" })).status).toBe(403);
    expect(
      (await as(admin, `/api/v1/approvals/${id}/reject`, { method: "POST", json: { reason: "no" } })).status,
    ).toBe(200);
    const second = await as(owner, "/api/v1/audit/settings", {
      method: "PATCH",
      json: { retention_days: 200 },
    });
    const { approval_request_id: id2 } = (await second.json()) as { approval_request_id: string };
    expect((await as(admin, `/api/v1/approvals/${id2}/cancel`, { method: "POST" })).status).toBe(403);
    expect((await as(owner, `/api/v1/approvals/${id2}/cancel`, { method: "POST" })).status).toBe(200);
    const third = await as(owner, "/api/v1/audit/settings", {
      method: "PATCH",
      json: { retention_days: 200 },
    });
    const { approval_request_id: id3 } = (await third.json()) as { approval_request_id: string };
    expect((await as(admin, `/api/v1/approvals/${id3}/approve`, { method: "POST" })).status).toBe(200);
    const after = (await (await as(owner, "/api/v1/audit/settings")).json()) as { retention_days: number };
    expect(after.retention_days).toBe(200);
  });

  it("granting ownership and deleting the tenant need approval too", async () => {
    const { owner, admin } = await twoAdmins();
    const grant = await as(owner, `/api/v1/users/${admin.userId}`, {
      method: "PATCH",
      json: { role: "owner" },
    });
    expect(grant.status).toBe(202);
    const del = await as(owner, "/api/v1/tenant", { method: "DELETE" });
    expect(del.status).toBe(202);
    const { approval_request_id: delId } = (await del.json()) as { approval_request_id: string };
    expect((await as(admin, `/api/v1/approvals/${delId}/approve`, { method: "POST" })).status).toBe(200);
    expect((await as(owner, "/api/v1/auth/me")).status).toBe(401);
  });

  it("lists none of another tenant's requests", async () => {
    const { owner } = await twoAdmins();
    const other = await signup();
    expect((await as(owner, "/api/v1/api-keys/revoke-all", { method: "POST" })).status).toBe(202);
    const list = (await (await as(other, "/api/v1/approvals?status=all")).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });

  it("turning approval off needs approval itself; then the action runs at once", async () => {
    const { owner, admin } = await twoAdmins();
    const off = await as(owner, "/api/v1/audit/settings", {
      method: "PATCH",
      json: { dual_approval_actions: [] },
    });
    expect(off.status).toBe(202);
    const { approval_request_id: id } = (await off.json()) as { approval_request_id: string };
    expect((await as(owner, "/api/v1/api-keys/revoke-all", { method: "POST" })).status).toBe(202);
    expect((await as(admin, `/api/v1/approvals/${id}/approve`, { method: "POST" })).status).toBe(200);
    const res = await as(owner, "/api/v1/api-keys/revoke-all", { method: "POST" });
    expect(res.status).toBe(200);
  });
});
