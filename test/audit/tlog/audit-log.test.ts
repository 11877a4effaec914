import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuditLog, FaultStep } from "../../../worker/audit/tlog/audit-log";
import {
  auditLog,
  checkpointNow,
  consistencyProof,
  inclusionProof,
  latestCheckpoint,
  publicKey,
  requestCheckpoint,
} from "../../../worker/audit/tlog/client";
import {
  fromBase64,
  fromHex,
  toBase64,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../../worker/audit/tlog/merkle.mjs";
import { openCheckpoint, parseVkey } from "../../../worker/audit/tlog/note.mjs";
import { sweepCheckpoints } from "../../../worker/audit/tlog/sweep";
import { entriesFromLeaves, tilePath, tilesForSize } from "../../../worker/audit/tlog/tiles.mjs";
import { verifyLog } from "../../../worker/audit/tlog/verify.mjs";
import { exportCollector, insertEvents, r2Checkpoint, r2Tiles, storedRows, uniqueTenant } from "./rows";

/** What the log should hold, recomputed from D1's leaf hashes alone. */
async function recompute(tenantId: string) {
  const rows = await storedRows(tenantId);
  const leaves = new Uint8Array(rows.length * 32);
  rows.forEach((r, i) => {
    leaves.set(fromHex(r.leaf_hash), i * 32);
  });
  return { rows, ...entriesFromLeaves(leaves, rows.length) };
}

/** R2 holds exactly the tiles and checkpoint a recomputation gives, and the verifier agrees. */
async function expectPublished(tenantId: string, size: number) {
  const expected = await recompute(tenantId);
  expect(expected.rows.length).toBe(size);
  const note = await r2Checkpoint(tenantId);
  const key = parseVkey((await publicKey(env, tenantId)).vkey);
  const cp = await openCheckpoint(note ?? "", key);
  expect(cp.size).toBe(size);
  expect(toHex(cp.root)).toBe(toHex(expected.root));
  const fetchTile = r2Tiles(tenantId);
  for (const t of tilesForSize(size)) {
    const bytes = await fetchTile(tilePath(t.level, t.index, t.width));
    expect(bytes && toHex(bytes), tilePath(t.level, t.index, t.width)).toBe(
      toHex(expected.store.tile(t.level, t.index, t.width)),
    );
  }
  const result = await verifyLog({
    checkpoint: note ?? "",
    key,
    events: await exportCollector(tenantId),
    fetchTile,
  });
  expect(result.status).toBe("verified");
  expect(result.events.verified).toBe(size);
}

const setFault = (tenantId: string, step: FaultStep | null) =>
  runInDurableObject(auditLog(env, tenantId), (log: AuditLog) => {
    log.faultAt = step;
  });

describe("AuditLog durable object", () => {
  it("signs a checkpoint over every committed row and publishes matching tiles to R2", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 300);
    const cp = await checkpointNow(env, tenant);
    expect(cp).toMatchObject({ origin: `audittrail/${tenant}`, size: 300 });
    expect(cp.note.startsWith(`audittrail/${tenant}\n300\n${cp.root_hash}\n\n— audittrail/${tenant} `)).toBe(
      true,
    );
    expect(await r2Checkpoint(tenant)).toBe(cp.note);
    expect(await latestCheckpoint(env, tenant)).toEqual(cp);
    await expectPublished(tenant, 300);
  });

  it("extends the tree and proves inclusion and consistency from its own storage", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 300);
    const first = await checkpointNow(env, tenant);
    await insertEvents(tenant, 301, 310);
    const second = await checkpointNow(env, tenant);
    expect(second.size).toBe(310);
    const c = await consistencyProof(env, tenant, 300, 310);
    expect([c.from_root, c.to_root]).toEqual([first.root_hash, second.root_hash]);
    verifyConsistency(
      300,
      310,
      c.hashes.map(fromBase64),
      fromBase64(first.root_hash),
      fromBase64(second.root_hash),
    );
    const rows = await storedRows(tenant);
    for (const seq of [1, 5, 256, 300, 310]) {
      const p = await inclusionProof(env, tenant, seq);
      expect(p.leaf_hash).toBe(rows[seq - 1].leaf_hash);
      verifyInclusion(
        seq - 1,
        310,
        fromHex(p.leaf_hash),
        p.hashes.map(fromBase64),
        fromBase64(second.root_hash),
      );
    }
    const old = await inclusionProof(env, tenant, 7, 300);
    expect(old.root_hash).toBe(first.root_hash);
    await expectPublished(tenant, 310);
  });

  it("keeps the checkpoint when nothing new arrived", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 3);
    const a = await checkpointNow(env, tenant);
    expect(await checkpointNow(env, tenant)).toEqual(a);
  });

  it("covers rows within 5 seconds of requestCheckpoint, through its alarm", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 20);
    const started = Date.now();
    await requestCheckpoint(env, tenant);
    let cp = await latestCheckpoint(env, tenant);
    while ((cp?.size ?? 0) < 20 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      cp = await latestCheckpoint(env, tenant);
    }
    expect(cp?.size).toBe(20);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await r2Checkpoint(tenant)).toBe(cp?.note);
  });

  it("catches up past the per-query batch size", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 5_100);
    expect((await checkpointNow(env, tenant)).size).toBe(5_100);
    await expectPublished(tenant, 5_100);
  }, 30_000); // 5,100 events to insert, hash and publish: seconds when the machine is busy

  it("stops at a seq gap instead of logging past it", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 5);
    await insertEvents(tenant, 7, 8);
    expect((await checkpointNow(env, tenant)).size).toBe(5);
    await insertEvents(tenant, 6, 6);
    expect((await checkpointNow(env, tenant)).size).toBe(8);
  });

  it("refuses to serve another tenant from the same object", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 2);
    await checkpointNow(env, tenant);
    const stub = auditLog(env, tenant);
    // Wrapped: a bare RPC promise given to expect() surfaces as an unhandled rejection too.
    await expect(Promise.resolve().then(() => stub.latest("someone-else"))).rejects.toThrow(
      /belongs to tenant/,
    );
  });

  it("keeps one signing key and publishes it as a signed-note verifier key", async () => {
    const tenant = uniqueTenant();
    const key = await publicKey(env, tenant);
    expect(key).toMatchObject({
      origin: `audittrail/${tenant}`,
      key_name: `audittrail/${tenant}`,
      algorithm: "Ed25519",
    });
    const parsed = parseVkey(key.vkey);
    expect(toBase64(parsed.publicKey)).toBe(key.public_key);
    expect(toHex(parsed.keyId)).toBe(key.key_id);
    await evictDurableObject(auditLog(env, tenant));
    expect(await publicKey(env, tenant)).toEqual(key);
  });
});

describe("crash safety", () => {
  for (const step of ["after-append", "after-commit", "after-tiles", "after-publish"] as const) {
    it(`recovers with nothing lost when a round fails ${step.replace("-", " ")}`, async () => {
      const tenant = uniqueTenant();
      await insertEvents(tenant, 1, 260);
      await checkpointNow(env, tenant);
      await insertEvents(tenant, 261, 600);
      await setFault(tenant, step);
      await expect(checkpointNow(env, tenant)).rejects.toThrow(/injected fault/);
      const r2 = await openCheckpoint(
        (await r2Checkpoint(tenant)) ?? "",
        parseVkey((await publicKey(env, tenant)).vkey),
      );
      expect(r2.size).toBe(step === "after-publish" ? 600 : 260);
      await setFault(tenant, null);
      await evictDurableObject(auditLog(env, tenant));
      expect((await checkpointNow(env, tenant)).size).toBe(600);
      await expectPublished(tenant, 600);
    });
  }

  it("re-publishes when R2 was rolled back to an older checkpoint", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 10);
    const older = await checkpointNow(env, tenant);
    await insertEvents(tenant, 11, 300);
    const newer = await checkpointNow(env, tenant);
    await env.ARCHIVE.put(`audit/${tenant}/checkpoint`, older.note);
    await env.ARCHIVE.delete(`audit/${tenant}/${tilePath(0, 1, 44)}`);
    await evictDurableObject(auditLog(env, tenant));
    expect(await checkpointNow(env, tenant)).toEqual(newer);
    expect(await r2Checkpoint(tenant)).toBe(newer.note);
    await expectPublished(tenant, 300);
  });

  it("overwrites an R2 checkpoint it did not sign", async () => {
    const tenant = uniqueTenant();
    await insertEvents(tenant, 1, 10);
    const cp = await checkpointNow(env, tenant);
    await env.ARCHIVE.put(`audit/${tenant}/checkpoint`, "garbage\n");
    await evictDurableObject(auditLog(env, tenant));
    await checkpointNow(env, tenant);
    expect(await r2Checkpoint(tenant)).toBe(cp.note);
  });
});

describe("checkpoint sweep", () => {
  it("schedules a round for a tenant whose D1 rows are ahead of its log", async () => {
    const tenant = uniqueTenant();
    await env.DB.prepare("INSERT INTO tenants (id, name, data_db, created_at) VALUES (?, ?, 'DB', ?)")
      .bind(tenant, "sweep test", Date.now())
      .run();
    await insertEvents(tenant, 1, 4);
    await checkpointNow(env, tenant);
    await insertEvents(tenant, 5, 9);
    // received_at of the fixture rows is in 2026-11; sweep "now" as just after them.
    await sweepCheckpoints(env, Date.UTC(2026, 10, 1, 0, 1));
    expect(await runDurableObjectAlarm(auditLog(env, tenant))).toBe(true);
    expect((await latestCheckpoint(env, tenant))?.size).toBe(9);
  });
});
