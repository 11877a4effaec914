import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AuditRecorder } from "../../worker/audit/recorder";
import { control, tenantContext } from "../../worker/db/client";
import { users } from "../../worker/db/schema";
import { ConflictError } from "../../worker/lib/errors";
import { commitGuarded } from "../../worker/users/guarded-commit";
import { as, signup } from "../helpers";

/**
 * The guard itself, without racing: the target is read, then changed underneath, then the write
 * that was decided on the stale read is committed. The HTTP race tests cannot force this order.
 */
function recorderFor(tenantId: string, userId: string) {
  const source = {
    actor: { type: "user" as const, id: userId },
    onBehalfOf: null,
    channel: "manual" as const,
    sourceIp: null,
    userAgent: null,
    requestId: null,
  };
  return new AuditRecorder(tenantContext(env, { id: tenantId, name: "", dataDb: "DB" }), source, () => {});
}

async function target(userId: string) {
  const [row] = await control(env).db.select().from(users).where(eq(users.id, userId));
  return row as typeof users.$inferSelect;
}

async function eventCount(s: Awaited<ReturnType<typeof signup>>) {
  const res = await as(s, "/api/v1/audit/events?event_type=user.change_role&limit=200");
  return ((await res.json()) as { data: unknown[] }).data.length;
}

describe("the guarded commit of a user change", () => {
  it("refuses to demote the last owner, with nothing written or recorded", async () => {
    const owner = await signup();
    const row = await target(owner.userId);
    const db = control(env).db;
    const demote = db.update(users).set({ role: "admin" }).where(eq(users.id, owner.userId));
    const draft = { event_type: "user.change_role", crud: "u" as const };
    await expect(
      commitGuarded(
        recorderFor(owner.tenantId, owner.userId),
        { target: row, newRole: "admin" },
        [demote],
        draft,
      ),
    ).rejects.toThrow(/last owner/);
    expect((await target(owner.userId)).role).toBe("owner");
    expect(await eventCount(owner)).toBe(0);
  });

  it("refuses a write decided on a role that changed since it was read", async () => {
    const owner = await signup();
    const stale = await target(owner.userId);
    const db = control(env).db;
    const rec = recorderFor(owner.tenantId, owner.userId);
    // Another request changed the row after ours read it.
    await db.update(users).set({ role: "admin" }).where(eq(users.id, owner.userId));
    const write = db.update(users).set({ role: "viewer" }).where(eq(users.id, owner.userId));
    const draft = { event_type: "user.change_role", crud: "u" as const };
    const result = commitGuarded(rec, { target: stale, newRole: "viewer" }, [write], draft);
    await expect(result).rejects.toBeInstanceOf(ConflictError);
    await expect(result).rejects.toThrow(/changed this user meanwhile/);
    expect((await target(owner.userId)).role).toBe("admin");
  });
});
