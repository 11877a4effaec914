import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { researchTrace } from "../fixtures";
import { as, createKey, type ErrorBody, signup, withKey } from "../helpers";
import { inviteViewer, viewerWithTraces } from "../live/sockets";

const event = (over: Record<string, unknown> = {}) => ({
  event_type: "refund.initiate",
  crud: "c",
  actor: { type: "user", id: "someone-else", display: "Not me" },
  ...over,
});

const auditCount = async (tenantId: string, type: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE tenant_id = ? AND event_type = ?")
      .bind(tenantId, type)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("scopes apply to sessions", () => {
  it("refuses a signed-in session writing audit events or ingesting, whatever its role", async () => {
    const owner = await signup();
    const viewer = await inviteViewer(owner);
    for (const s of [owner, viewer]) {
      const audit = await as(s, "/api/v1/audit/events", { method: "POST", json: event() });
      expect(audit.status).toBe(403);
      expect(((await audit.json()) as ErrorBody).error.message).toContain("'audit:write'");
      const sent = await as(s, "/api/v1/traces/ingest", { method: "POST", json: researchTrace() });
      expect(sent.status).toBe(403);
    }
    expect(await auditCount(owner.tenantId, "refund.initiate")).toBe(0);
  });
});

describe("the viewer role is read-only", () => {
  it("lets a viewer create a read key but not one that ingests or writes audit events", async () => {
    const owner = await signup();
    const viewer = await inviteViewer(owner);
    for (const scopes of [["ingest"], ["audit:write"], ["read", "ingest"]]) {
      const res = await as(viewer, "/api/v1/api-keys", { method: "POST", json: { name: "k", scopes } });
      expect(res.status).toBe(403);
    }
    const read = await as(viewer, "/api/v1/api-keys", {
      method: "POST",
      json: { name: "k", scopes: ["read"] },
    });
    expect(read.status).toBe(201);
    expect(await auditCount(owner.tenantId, "api_key.create")).toBe(1);
  });

  it("cuts a key's scopes to its user's role when the user becomes a viewer", async () => {
    const owner = await signup();
    const { key } = await viewerWithTraces(owner);
    const sent = await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: researchTrace() });
    expect(sent.status).toBe(403);
    expect(((await sent.json()) as ErrorBody).error.message).toContain("role viewer");
    expect((await withKey(key, "/api/v1/traces")).status).toBe(200);
  });
});

describe("events submitted through the API", () => {
  it("records the submitting key, its user and the source IP where the sender cannot write", async () => {
    const s = await signup();
    const { id: keyId, key } = await createKey(s, ["audit:write"]);
    const res = await withKey(key, "/api/v1/audit/events", {
      method: "POST",
      headers: { "cf-connecting-ip": "203.0.113.9" },
      json: event(),
    });
    expect(res.status).toBe(201);
    const ours = res.headers.get("x-request-id");
    const { data } = (await res.json()) as { data: { event_id: string }[] };
    const stored = (await (await as(s, `/api/v1/audit/events/${data[0]?.event_id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(stored.actor).toEqual({ type: "user", id: "someone-else", display: "Not me" });
    expect(stored.submitted_by).toEqual({
      api_key_id: keyId,
      api_key_name: "test key",
      user_id: s.userId,
      source_ip: "203.0.113.9",
      request_id: ours,
    });
  });

  it("refuses submitted_by and approval from the sender", async () => {
    const s = await signup();
    const { key } = await createKey(s, ["audit:write"]);
    const approval = { request_id: "apr_1", approvers: [{ id: "u_2", decision: "approved" }] };
    for (const body of [event({ approval }), event({ submitted_by: { api_key_id: "k" } })]) {
      const res = await withKey(key, "/api/v1/audit/events", { method: "POST", json: body });
      expect(res.status).toBe(400);
    }
    expect(await auditCount(s.tenantId, "refund.initiate")).toBe(0);
  });
});
