import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, checkpointNow, consistencyProof, publicKey } from "../../../worker/audit/tlog/client";
import { CompactRange, fromHex, sha256, toHex } from "../../../worker/audit/tlog/merkle.mjs";
import { parseVkey } from "../../../worker/audit/tlog/note.mjs";
import { generateKey, importKey, signCheckpoint } from "../../../worker/audit/tlog/signer";
import { tilePath } from "../../../worker/audit/tlog/tiles.mjs";
import { type VerifyResult, verifyLog } from "../../../worker/audit/tlog/verify.mjs";
import {
  collect,
  exportLine,
  insertEvents,
  insertRow,
  r2Checkpoint,
  r2Tiles,
  rowFor,
  type StoredRow,
  storedRows,
  uniqueTenant,
} from "./rows";

// The attacker here has write access to D1 and R2 but not to the log's signing key: the
// append-only triggers (and the seq uniqueness index) go first, as they would for them.
beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare("DROP TRIGGER IF EXISTS audit_events_no_update"),
    env.DB.prepare("DROP TRIGGER IF EXISTS audit_events_no_delete"),
    env.DB.prepare("DROP INDEX IF EXISTS audit_events_tenant_seq_idx"),
  ]);
});

const SIZE = 300; // one full leaf tile, one partial, and a partial level-1 tile

async function loggedTenant(size = SIZE) {
  const tenant = uniqueTenant("tamper");
  await insertEvents(tenant, 1, size);
  const cp = await checkpointNow(env, tenant);
  return { tenant, cp };
}

type Options = { lines?: string[]; tiles?: boolean; checkpoint?: string; previous?: string };

async function verify(tenant: string, o: Options = {}): Promise<VerifyResult> {
  const lines = o.lines ?? (await storedRows(tenant)).map(exportLine);
  return verifyLog({
    checkpoint: o.checkpoint ?? (await r2Checkpoint(tenant)) ?? "",
    key: parseVkey((await publicKey(env, tenant)).vkey),
    events: collect(lines),
    fetchTile: o.tiles === false ? undefined : r2Tiles(tenant),
    previousCheckpoint: o.previous,
  });
}

/** `class:seq` (or `class:path`) of every finding, in report order. */
const found = (r: VerifyResult) => r.findings.map((f) => `${f.class}:${f.seq ?? f.path ?? f.code ?? ""}`);

const sql = (query: string, ...args: unknown[]) =>
  env.DB.prepare(query)
    .bind(...args)
    .run();

describe("an untouched log", () => {
  it("verifies with and without tiles", async () => {
    const { tenant } = await loggedTenant();
    for (const tiles of [true, false]) {
      const r = await verify(tenant, { tiles });
      expect(r.status).toBe("verified");
      expect(r.findings).toEqual([]);
      expect(r.events).toMatchObject({ read: SIZE, verified: SIZE });
    }
  });

  it("reports events newer than the checkpoint as not covered, not as tampering", async () => {
    const { tenant } = await loggedTenant();
    await insertEvents(tenant, SIZE + 1, SIZE + 4);
    const r = await verify(tenant);
    expect(r.status).toBe("verified");
    expect(r.events.not_covered).toEqual({ count: 4, min: SIZE + 1, max: SIZE + 4 });
  });
});

describe("tampering with D1 rows", () => {
  it("locates a modified event, leaf hash left as it was", async () => {
    const { tenant } = await loggedTenant();
    const body = JSON.parse((await storedRows(tenant))[16].body);
    body.changes.after.amount = 1;
    await sql(
      "UPDATE audit_events SET body = ? WHERE tenant_id = ? AND seq = 17",
      JSON.stringify(body),
      tenant,
    );
    expect(found(await verify(tenant))).toEqual(["modified:17"]);
    expect(found(await verify(tenant, { tiles: false }))).toEqual(["modified:17"]);
  });

  it("locates a modified event whose leaf hash was recomputed to match", async () => {
    const { tenant } = await loggedTenant();
    const forged = await rowFor(tenant, 17, { reason: "nothing to see" });
    await sql(
      "UPDATE audit_events SET body = ?, leaf_hash = ? WHERE tenant_id = ? AND seq = 17",
      forged.canonical,
      forged.leafHash,
      tenant,
    );
    expect(found(await verify(tenant))).toEqual(["modified:17"]);
    const withoutTiles = await verify(tenant, { tiles: false });
    expect(withoutTiles.status).toBe("tampered");
    expect(withoutTiles.findings[0].message).toMatch(/pass --tiles to locate/);
  });

  it("locates a deleted event, also the last one", async () => {
    const { tenant } = await loggedTenant();
    await sql("DELETE FROM audit_events WHERE tenant_id = ? AND seq IN (42, ?)", tenant, SIZE);
    expect(found(await verify(tenant))).toEqual(["removed:42", `removed:${SIZE}`]);
    expect(found(await verify(tenant, { tiles: false }))).toEqual(["removed:42", `removed:${SIZE}`]);
  });

  it("locates an event inserted under an existing seq", async () => {
    const { tenant } = await loggedTenant();
    await (await insertRow(tenant, 100, { reason: "backdated" })).run();
    expect(found(await verify(tenant))).toEqual(["inserted:100"]);
    expect(found(await verify(tenant, { tiles: false }))).toEqual(["inserted:100"]);
  });

  it("locates an event inserted by renumbering the ones after it", async () => {
    const { tenant } = await loggedTenant();
    await sql("UPDATE audit_events SET seq = seq + 1000000 WHERE tenant_id = ? AND seq >= 100", tenant);
    await sql("UPDATE audit_events SET seq = seq - 999999 WHERE tenant_id = ? AND seq >= 1000000", tenant);
    await (await insertRow(tenant, 100, { reason: "backdated" })).run();
    const r = await verify(tenant);
    expect(r.counts).toEqual({ inserted: 1, reordered: SIZE - 99 });
    expect(found(r).slice(0, 3)).toEqual(["reordered:101", "reordered:102", "reordered:103"]);
    expect(r.findings.find((f) => f.class === "inserted")?.seq).toBe(100);
    expect(r.findings[0].message).toBe("holds the event committed at seq 100");
  });

  it("locates two events whose seqs were swapped", async () => {
    const { tenant } = await loggedTenant();
    await sql("UPDATE audit_events SET seq = -1 WHERE tenant_id = ? AND seq = 50", tenant);
    await sql("UPDATE audit_events SET seq = 50 WHERE tenant_id = ? AND seq = 60", tenant);
    await sql("UPDATE audit_events SET seq = 60 WHERE tenant_id = ? AND seq = -1", tenant);
    const r = await verify(tenant);
    expect(found(r)).toEqual(["reordered:50", "reordered:60"]);
    expect(r.findings.map((f) => f.message)).toEqual([
      "holds the event committed at seq 60",
      "holds the event committed at seq 50",
    ]);
    expect((await verify(tenant, { tiles: false })).status).toBe("tampered");
  });
});

describe("tampering with the export file", () => {
  it("reports lines moved out of seq order", async () => {
    const { tenant } = await loggedTenant();
    const lines = (await storedRows(tenant)).map(exportLine);
    [lines[9], lines[19]] = [lines[19], lines[9]];
    for (const tiles of [true, false]) {
      expect(found(await verify(tenant, { lines, tiles }))).toEqual(["reordered:20", "reordered:10"]);
    }
  });

  it("reports a duplicated line and an unparsable one", async () => {
    const { tenant } = await loggedTenant();
    const lines = (await storedRows(tenant)).map(exportLine);
    lines.splice(5, 0, lines[4]);
    lines[30] = lines[30].slice(0, 40);
    const r = await verify(tenant, { lines });
    expect(found(r)).toEqual(["malformed:", "inserted:5", "removed:30"]);
    expect(r.findings[0]).toMatchObject({ line: 31, file: "export.ndjson" });
  });

  it("accepts the same events serialized another way (key order, spacing)", async () => {
    const { tenant } = await loggedTenant(20);
    const rows = await storedRows(tenant);
    const reserialize = (row: StoredRow) => {
      const event = JSON.parse(exportLine(row));
      const reversed = Object.fromEntries(Object.entries(event).reverse());
      return JSON.stringify(reversed, null, 0).replace(/,"/g, ', "');
    };
    expect((await verify(tenant, { lines: rows.map(reserialize) })).status).toBe("verified");
  });
});

describe("tampering with R2", () => {
  const corrupt = (bytes: Uint8Array, at: number) => {
    const copy = bytes.slice();
    copy[at] ^= 0x40;
    return copy;
  };

  it("finds an overwritten full tile and still verifies the events from their own content", async () => {
    const { tenant } = await loggedTenant();
    const key = `audit/${tenant}/${tilePath(0, 0)}`;
    const tile = new Uint8Array(await ((await env.ARCHIVE.get(key)) as R2ObjectBody).arrayBuffer());
    await env.ARCHIVE.put(key, corrupt(tile, 32 * 7));
    const r = await verify(tenant);
    expect(found(r)).toEqual(["tile:tile/0/000"]);
    expect(r.events.verified).toBe(SIZE);
  });

  it("finds an overwritten right-edge tile", async () => {
    const { tenant } = await loggedTenant();
    const key = `audit/${tenant}/${tilePath(0, 1, SIZE - 256)}`;
    const tile = new Uint8Array(await ((await env.ARCHIVE.get(key)) as R2ObjectBody).arrayBuffer());
    await env.ARCHIVE.put(key, corrupt(tile, 0));
    const r = await verify(tenant);
    expect(found(r)).toEqual(["tile:tile/0/001.p/44 tile/1/000.p/1"]);
    expect(r.events.verified).toBe(SIZE);
  });

  it("does not let a rewritten tile hide a rewritten event", async () => {
    const { tenant } = await loggedTenant();
    const forged = await rowFor(tenant, 9, { reason: "rewritten" });
    await sql(
      "UPDATE audit_events SET body = ?, leaf_hash = ? WHERE tenant_id = ? AND seq = 9",
      forged.canonical,
      forged.leafHash,
      tenant,
    );
    const key = `audit/${tenant}/${tilePath(0, 0)}`;
    const tile = new Uint8Array(await ((await env.ARCHIVE.get(key)) as R2ObjectBody).arrayBuffer());
    tile.set(fromHex(forged.leafHash), 8 * 32);
    await env.ARCHIVE.put(key, tile);
    const r = await verify(tenant);
    expect(r.status).toBe("tampered");
    expect(found(r)).toEqual(["tile:tile/0/000"]);
    expect(r.events.verified).toBe(SIZE - 256);
  });
});

describe("forged, foreign and rolled-back checkpoints", () => {
  it("rejects a checkpoint signed by an unknown key under the log's name", async () => {
    const { tenant, cp } = await loggedTenant();
    const impostor = await importKey(await generateKey(cp.origin));
    const note = await signCheckpoint(impostor, cp.origin, cp.size, fromHex("00".repeat(32)));
    const r = await verify(tenant, { checkpoint: note });
    expect(found(r)).toEqual(["checkpoint:unknown_key"]);
    expect(r.status).toBe("tampered");
  });

  it("rejects a checkpoint whose size or signature was altered", async () => {
    const { tenant, cp } = await loggedTenant();
    const resized = cp.note.replace(`\n${cp.size}\n`, `\n${cp.size - 1}\n`);
    expect(found(await verify(tenant, { checkpoint: resized }))).toEqual(["checkpoint:bad_signature"]);
    const sigStart = cp.note.lastIndexOf(" ") + 10;
    const flipped =
      cp.note.slice(0, sigStart) + (cp.note[sigStart] === "A" ? "B" : "A") + cp.note.slice(sigStart + 1);
    expect(found(await verify(tenant, { checkpoint: flipped }))).toEqual(["checkpoint:bad_signature"]);
  });

  it("rejects another tenant's checkpoint", async () => {
    const a = await loggedTenant(20);
    const b = await loggedTenant(20);
    expect(found(await verify(a.tenant, { checkpoint: b.cp.note }))).toEqual(["checkpoint:unknown_key"]);
  });

  it("detects a rollback to an older checkpoint than one already trusted", async () => {
    const { tenant, cp: older } = await loggedTenant();
    await insertEvents(tenant, SIZE + 1, SIZE + 10);
    const newer = await checkpointNow(env, tenant);
    const consistent = await verify(tenant, { previous: older.note });
    expect(consistent.status).toBe("verified");
    expect(consistent.previous_checkpoint).toMatchObject({ size: SIZE, result: "consistent" });
    await env.ARCHIVE.put(`audit/${tenant}/checkpoint`, older.note);
    const r = await verify(tenant, { previous: newer.note });
    expect(found(r)).toEqual(["rollback:"]);
    expect(r.previous_checkpoint?.result).toBe("rollback");
  });

  it("detects a fork: the log's own key signing a tree that rewrites the trusted one", async () => {
    const { tenant, cp: trusted } = await loggedTenant();
    await insertEvents(tenant, SIZE + 1, SIZE + 10);
    await checkpointNow(env, tenant);
    // A misbehaving log (or a stolen key) rewrites event 5 and signs the result.
    const forged = await rowFor(tenant, 5, { reason: "history rewritten" });
    await sql(
      "UPDATE audit_events SET body = ?, leaf_hash = ? WHERE tenant_id = ? AND seq = 5",
      forged.canonical,
      forged.leafHash,
      tenant,
    );
    const rows = await storedRows(tenant);
    const range = new CompactRange();
    for (const row of rows) range.append(fromHex(row.leaf_hash));
    const stored = await runInDurableObject(auditLog(env, tenant), (_log, state) =>
      state.storage.sql
        .exec<{ name: string; private_pkcs8: ArrayBuffer; public_raw: ArrayBuffer }>(
          "SELECT * FROM signing_key",
        )
        .one(),
    );
    const key = await importKey({
      name: stored.name,
      pkcs8: new Uint8Array(stored.private_pkcs8),
      publicKey: new Uint8Array(stored.public_raw),
    });
    const forkNote = await signCheckpoint(key, trusted.origin, rows.length, range.root());
    const r = await verify(tenant, { checkpoint: forkNote, previous: trusted.note, tiles: false });
    expect(found(r)).toEqual(["fork:"]);
    expect(r.previous_checkpoint?.result).toBe("fork");
  });
});

describe("an export older than its checkpoint", () => {
  it("verifies without tiles through a consistency proof to the checkpoint, and still locates edits", async () => {
    const { tenant } = await loggedTenant();
    const lines = (await storedRows(tenant)).map(exportLine);
    await insertEvents(tenant, SIZE + 1, SIZE + 10);
    const cp = await checkpointNow(env, tenant);
    const key = parseVkey((await publicKey(env, tenant)).vkey);
    const proof = await consistencyProof(env, tenant, SIZE, cp.size);
    const run = (l: string[], withProof = true) =>
      verifyLog({
        checkpoint: cp.note,
        key,
        events: collect(l),
        range: [1, SIZE],
        consistencyProof: withProof ? proof : undefined,
      });
    const ok = await run(lines);
    expect(ok.status).toBe("verified");
    expect(ok.events.verified).toBe(SIZE);
    expect((await run(lines, false)).status).toBe("incomplete");
    const edited = lines.slice();
    edited[41] = edited[41].replace('"amount":', '"amount":7');
    expect(found(await run(edited))).toEqual(["modified:42"]);
  });
});

describe("export manifests", () => {
  it("flags a file whose hash or count differs from its manifest", async () => {
    const { tenant, cp } = await loggedTenant(10);
    const lines = (await storedRows(tenant)).map(exportLine);
    const text = `${lines.join("\n")}\n`;
    const sha = toHex(sha256(new TextEncoder().encode(text)));
    const key = parseVkey((await publicKey(env, tenant)).vkey);
    const run = (manifest: Record<string, unknown>) =>
      verifyLog({
        checkpoint: cp.note,
        key,
        events: collect(lines),
        manifests: [{ file: 0, manifest, hashes: [sha] }],
      });
    const range = { first_seq: 1, last_seq: 10, from: null, to: null };
    expect((await run({ sha256: sha, count: 10, range })).status).toBe("verified");
    expect(found(await run({ sha256: "ab".repeat(32), count: 10, range }))).toEqual(["manifest:"]);
    expect(found(await run({ sha256: sha, count: 11, range }))).toEqual(["manifest:"]);
  });

  it("checks a filtered export event by event, without calling skipped seqs removed", async () => {
    const { tenant, cp } = await loggedTenant();
    const lines = (await storedRows(tenant)).filter((r) => r.seq % 3 === 0).map(exportLine);
    const key = parseVkey((await publicKey(env, tenant)).vkey);
    const manifest = { filters: { event_type: ["refund.*"] }, range: { first_seq: 3, last_seq: SIZE } };
    const manifests = [{ file: 0, manifest }];
    const withTiles = await verifyLog({
      checkpoint: cp.note,
      key,
      events: collect(lines),
      manifests,
      fetchTile: r2Tiles(tenant),
    });
    expect(withTiles.status).toBe("verified");
    expect(withTiles.events.verified).toBe(SIZE / 3);
    const without = await verifyLog({ checkpoint: cp.note, key, events: collect(lines), manifests });
    expect(without.status).toBe("incomplete");
  });
});
