import { describe, expect, it } from "vitest";
import { as, createKey, type ErrorBody, signup, withKey } from "../helpers";

const batch = (traceId: string) => ({
  traces: [{ id: traceId, agent: "bot", started_at: "2026-11-23T10:00:00Z" }],
});

describe("API keys", () => {
  it("creates a key shown once, lists it by prefix, and stores only a hash", async () => {
    const s = await signup();
    const created = await createKey(s, ["ingest"]);
    expect(created.key).toMatch(/^at_/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const list = (await (await as(s, "/api/v1/api-keys")).json()) as { data: Record<string, unknown>[] };
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ id: created.id, prefix: created.prefix, scopes: ["ingest"] });
    expect(JSON.stringify(list)).not.toContain(created.key);
  });

  it("rejects unknown scopes with the field path and creates nothing", async () => {
    const s = await signup();
    const res = await as(s, "/api/v1/api-keys", { method: "POST", json: { name: "k", scopes: ["root"] } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details?.[0].path).toBe("scopes.0");
    const list = (await (await as(s, "/api/v1/api-keys")).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(0);
  });

  it("stops a revoked key at once", async () => {
    const s = await signup();
    const { id, key } = await createKey(s);
    expect((await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: batch("t1") })).status).toBe(
      200,
    );
    const revoked = await as(s, `/api/v1/api-keys/${id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revoked_at: string | null }).revoked_at).not.toBeNull();
    expect((await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: batch("t2") })).status).toBe(
      401,
    );
  });

  it("lists when a key was last used, as soon as its first request has been answered", async () => {
    const s = await signup();
    const { id, key } = await createKey(s);
    const lastUsed = async () => {
      const list = (await (await as(s, "/api/v1/api-keys")).json()) as {
        data: { id: string; last_used_at: string | null }[];
      };
      return list.data.find((k) => k.id === id)?.last_used_at;
    };
    expect(await lastUsed()).toBeNull();
    const before = Date.now();
    expect((await withKey(key, "/api/v1/traces/ingest", { method: "POST", json: batch("t1") })).status).toBe(
      200,
    );
    const at = await lastUsed();
    expect(at).toEqual(expect.any(String));
    expect(Date.parse(at as string)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("refuses API-key callers on key management", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    expect((await withKey(key, "/api/v1/api-keys")).status).toBe(403);
  });

  it("answers 401 for a made-up key", async () => {
    expect((await withKey("at_not-a-real-key", "/api/v1/traces")).status).toBe(401);
  });
});
