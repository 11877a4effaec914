import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { as, call, createKey, signup, unique } from "../helpers";
import { connect, waitFor } from "../live/sockets";

type Event = {
  event_type: string;
  seq: number;
  actor: { type: string; id: string; display?: string };
  outcome: string;
  target: { type: string; id: string }[];
  changes: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null } | null;
  risk: { level: string; rules: string[] };
  source_ip: string | null;
  correlation: { request_id?: string };
};

async function events(session: Awaited<ReturnType<typeof signup>>, query = "") {
  const res = await as(session, `/api/v1/audit/events?limit=200${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Event[] }).data;
}

const types = (list: Event[]) => list.map((e) => e.event_type).reverse();

describe("AuditTrail's own mutations are audited", () => {
  it("records sign-up, default rules, keys, invitations, roles and logout in order", async () => {
    const owner = await signup();
    const key = await createKey(owner);
    await as(owner, `/api/v1/api-keys/${key.id}`, { method: "DELETE" });
    const invite = await as(owner, "/api/v1/users/invitations", {
      method: "POST",
      json: { email: `${unique()}@example.com`, role: "member" },
    });
    expect(invite.status).toBe(201);
    const { token } = (await invite.json()) as { token: string };
    const accepted = await call("/api/v1/auth/accept-invitation", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "10.9.9.9" },
      body: JSON.stringify({ token, password: "another good password" }),
    });
    expect(accepted.status).toBe(201);
    const member = ((await accepted.json()) as { user: { id: string } }).user.id;
    expect(
      (await as(owner, `/api/v1/users/${member}`, { method: "PATCH", json: { role: "admin" } })).status,
    ).toBe(200);
    const list = await events(owner);
    expect(types(list)).toEqual([
      "tenant.create",
      "rule.install_defaults",
      "api_key.create",
      "api_key.revoke",
      "invitation.create",
      "invitation.accept",
      "user.change_role",
    ]);
    const roleChange = list[0] as Event;
    expect(roleChange.actor).toEqual({ type: "user", id: owner.userId, display: owner.email });
    expect(roleChange.changes).toEqual({ before: { role: "member" }, after: { role: "admin" } });
    expect(roleChange.risk).toEqual({ level: "high", rules: ["user.change_role"] });
    expect(roleChange.correlation.request_id).toBeTruthy();
    expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => list.length - i));
  });

  it("records failed logins of a known account in its tenant", async () => {
    const owner = await signup();
    const res = await call("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "10.1.2.3" },
      body: JSON.stringify({ email: owner.email, password: "wrong password!" }),
    });
    expect(res.status).toBe(401);
    const [failure] = await events(owner, "&event_type=user.login&outcome=failure");
    expect(failure?.outcome).toBe("failure");
    expect(failure?.source_ip).toBe("10.1.2.3");
  });

  it("records rule edits with before and after", async () => {
    const owner = await signup();
    const rules = (await (await as(owner, "/api/v1/rules")).json()) as {
      data: { id: string; enabled: boolean }[];
    };
    const rule = rules.data[0] as { id: string; enabled: boolean };
    const res = await as(owner, `/api/v1/rules/${rule.id}`, {
      method: "PATCH",
      json: { enabled: !rule.enabled },
    });
    expect(res.status).toBe(200);
    const [toggle] = await events(owner, "&event_type=rule.*");
    expect(toggle?.event_type).toBe(rule.enabled ? "rule.disable" : "rule.enable");
    expect(toggle?.changes).toEqual({ before: { enabled: rule.enabled }, after: { enabled: !rule.enabled } });
  });

  it("leaves neither the mutation nor the event when the event cannot be written", async () => {
    const owner = await signup();
    await env.DB.exec(
      "CREATE TRIGGER IF NOT EXISTS test_fail_key_event BEFORE INSERT ON audit_events WHEN new.event_type = 'api_key.create' BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    );
    try {
      const res = await as(owner, "/api/v1/api-keys", {
        method: "POST",
        json: { name: "doomed", scopes: ["read"] },
      });
      expect(res.status).toBe(500);
    } finally {
      await env.DB.exec("DROP TRIGGER IF EXISTS test_fail_key_event");
    }
    const keys = await env.DB.prepare("SELECT count(*) AS n FROM api_keys WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(keys?.n).toBe(0);
    expect(types(await events(owner))).not.toContain("api_key.create");
  });

  it("leaves neither when the mutation fails after the event was staged", async () => {
    const owner = await signup();
    const before = (await events(owner)).length;
    await env.DB.exec(
      "CREATE TRIGGER IF NOT EXISTS test_fail_invite BEFORE INSERT ON invitations BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    );
    try {
      const res = await as(owner, "/api/v1/users/invitations", {
        method: "POST",
        json: { email: `${unique()}@example.com`, role: "member" },
      });
      expect(res.status).toBe(500);
    } finally {
      await env.DB.exec("DROP TRIGGER IF EXISTS test_fail_invite");
    }
    expect((await events(owner)).length).toBe(before);
  });

  it("refuses UPDATE and DELETE on the log outside retention", async () => {
    const owner = await signup();
    await expect(
      env.DB.prepare("UPDATE audit_events SET event_type = 'x.y' WHERE tenant_id = ?")
        .bind(owner.tenantId)
        .run(),
    ).rejects.toThrow(/append-only/);
    await expect(
      env.DB.prepare("DELETE FROM audit_events WHERE tenant_id = ?").bind(owner.tenantId).run(),
    ).rejects.toThrow(/append-only/);
  });

  it("pushes high-risk events to the live feed", async () => {
    const owner = await signup();
    const key = await createKey(owner);
    const live = await connect("/ws/live", { cookie: owner.cookie });
    await as(owner, `/api/v1/api-keys/${key.id}`, { method: "DELETE" });
    const message = await waitFor(live, (m) => m.event === "audit.high_risk");
    expect(message.payload).toMatchObject({
      event_type: "api_key.revoke",
      risk: { level: "high", rules: ["api_key.revoke"] },
      target: [{ type: "api_key", id: key.id }],
    });
    live.ws.close();
  });
});

describe("audit settings", () => {
  it("applies tenant masking patterns and records the policy version", async () => {
    const owner = await signup();
    const res = await as(owner, "/api/v1/audit/settings", {
      method: "PATCH",
      json: {
        masking_patterns: [{ name: "employee_id", pattern: "EMP-[0-9]{6}" }],
        high_risk_types: ["refund.*"],
      },
    });
    expect(res.status).toBe(200);
    const settings = (await res.json()) as { masking_policy_version: string };
    expect(settings.masking_policy_version).toMatch(/^builtin-1\+tenant:[0-9a-f]{12}$/);
    const { key } = await createKey(owner, ["audit:write"]);
    const posted = await call("/api/v1/audit/events", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        event_type: "refund.initiate",
        crud: "c",
        actor: { type: "system", id: "billing" },
        reason: "requested by EMP-123456",
      }),
    });
    const { data } = (await posted.json()) as { data: { event_id: string }[] };
    const event = (await (await as(owner, `/api/v1/audit/events/${data[0]?.event_id}`)).json()) as {
      reason: string;
      risk: { level: string };
      masking: { policy_version: string; masked: number };
    };
    expect(event.reason).toBe("requested by [MASKED:employee_id]");
    expect(event.masking).toEqual({ policy_version: settings.masking_policy_version, masked: 1 });
    expect(event.risk.level).toBe("high");
  });

  it("rejects retention below 180 days and unsafe patterns, changing nothing", async () => {
    const owner = await signup();
    const low = await as(owner, "/api/v1/audit/settings", { method: "PATCH", json: { retention_days: 90 } });
    expect(low.status).toBe(400);
    const unsafe = await as(owner, "/api/v1/audit/settings", {
      method: "PATCH",
      json: { masking_patterns: [{ name: "bad", pattern: "(a+)+$" }] },
    });
    expect(unsafe.status).toBe(400);
    const details = ((await unsafe.json()) as { error: { details: { path: string }[] } }).error.details;
    expect(details[0]?.path).toBe("masking_patterns.0.pattern");
    const now = (await (await as(owner, "/api/v1/audit/settings")).json()) as {
      retention_days: number;
      masking_patterns: unknown[];
    };
    expect(now).toMatchObject({ retention_days: 365, masking_patterns: [] });
    expect(types(await events(owner))).not.toContain("audit.settings.update");
  });

  it("is admin-only and per tenant", async () => {
    const a = await signup();
    const b = await signup();
    await as(a, "/api/v1/audit/settings", { method: "PATCH", json: { retention_days: 400 } });
    const mine = (await (await as(b, "/api/v1/audit/settings")).json()) as { retention_days: number };
    expect(mine.retention_days).toBe(365);
    const { key } = await createKey(a, ["audit:write"]);
    const res = await call("/api/v1/audit/events", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(403);
  });
});

describe("audit settings validation", () => {
  it("refuses malformed high-risk patterns and unknown dual-approval actions", async () => {
    const owner = await signup();
    const res = await as(owner, "/api/v1/audit/settings", {
      method: "PATCH",
      json: { high_risk_types: ["refund*"], dual_approval_actions: ["everything"] },
    });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as { error: { details: { path: string }[] } }).error.details.map(
      (d) => d.path,
    );
    expect(paths).toEqual(expect.arrayContaining(["high_risk_types.0", "dual_approval_actions.0"]));
  });
});
