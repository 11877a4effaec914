// Offline verification speed: writes a tenant's log of 1,000,000 synthetic events in the exact
// export format (the bodies the worker stores, bench/audit-data.mjs), its C2SP tiles and a
// checkpoint signed with a fresh Ed25519 key, then times bin/audittrail-verify.mjs on it: with
// tiles (every event checked against its leaf) and without (the tree rebuilt from the events).
// Median of 3 runs each; the goal is ≤ 10 s on this machine. No server is involved.
//   node bench/audit-verify.mjs     (AUDIT_VERIFY_EVENTS=100000 AUDIT_VERIFY_RUNS=5 to change)
import { spawnSync } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assembleNote,
  checkpointText,
  formatVkey,
  keyId,
  signatureLine,
} from "../worker/audit/tlog/note.mjs";
import { entriesFromLeaves, tilePath, tilesForSize } from "../worker/audit/tlog/tiles.mjs";
import { storedRow } from "./audit-data.mjs";
import { rng } from "./data.mjs";
import { envInt, log, round, waitForQuiet, writeResult } from "./lib.mjs";
import { ROOT } from "./server.mjs";

const CLI = join(ROOT, "bin/audittrail-verify.mjs");
const GOAL_S = 10;
const LINES_PER_WRITE = 10_000;

/** The export line the worker writes for a stored body (worker/audit/queries.ts rowToLine). */
const exportLine = (canonical, seq, leafHex) =>
  `${canonical.slice(0, -1)},"seq":${seq},"integrity":{"leaf_hash":"${leafHex}"}}`;

function writeEvents(file, tenantId, count, seed) {
  const r = rng(seed);
  const leaves = new Uint8Array(count * 32);
  const start = Date.UTC(2026, 9, 1);
  const fd = openSync(file, "w");
  let batch = [];
  for (let i = 0; i < count; i++) {
    const row = storedRow(tenantId, r, i, start + i * 250);
    const [canonical, leafHex] = [row[16], row[17]];
    leaves.set(Buffer.from(leafHex, "hex"), i * 32);
    batch.push(exportLine(canonical, i + 1, leafHex));
    if (batch.length === LINES_PER_WRITE || i === count - 1) {
      writeSync(fd, `${batch.join("\n")}\n`);
      batch = [];
    }
  }
  closeSync(fd);
  return leaves;
}

function writeTiles(dir, store, size) {
  for (const t of tilesForSize(size)) {
    const file = join(dir, tilePath(t.level, t.index, t.width));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, store.tile(t.level, t.index, t.width));
  }
}

/** A checkpoint note signed the way the AuditLog Durable Object signs, with a fresh key. */
function signedCheckpoint(origin, size, root) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
  const text = checkpointText(origin, size, root);
  const signature = sign(null, Buffer.from(text), privateKey);
  const note = assembleNote(text, [signatureLine(origin, keyId(origin, raw), signature)]);
  return { note, vkey: formatVkey(origin, raw), privateKey };
}

/**
 * A complete offline-verifiable log in `dir`: export.ndjson, tiles/ (the R2 prefix layout, with
 * its checkpoint), checkpoint, key.vkey. Also used by test/audit/tlog/cli-smoke.mjs.
 */
export function writeFixture(dir, count, { tenantId = "t_bench", seed = 7 } = {}) {
  mkdirSync(dir, { recursive: true });
  const exportFile = join(dir, "export.ndjson");
  const leaves = writeEvents(exportFile, tenantId, count, seed);
  const { store, root } = entriesFromLeaves(leaves, count);
  const tilesDir = join(dir, "tiles");
  writeTiles(tilesDir, store, count);
  const origin = `audittrail/${tenantId}`;
  const { note, vkey, privateKey } = signedCheckpoint(origin, count, root);
  const checkpointFile = join(dir, "checkpoint");
  writeFileSync(checkpointFile, note);
  writeFileSync(join(tilesDir, "checkpoint"), note);
  const vkeyFile = join(dir, "key.vkey");
  writeFileSync(vkeyFile, `${vkey}\n`);
  return { dir, exportFile, tilesDir, checkpointFile, vkeyFile, vkey, origin, root, store, privateKey };
}

function verifyOnce(fx, withTiles) {
  const args = [CLI, "--json", "--key", fx.vkeyFile, "--checkpoint", fx.checkpointFile];
  if (withTiles) args.push("--tiles", fx.tilesDir);
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [...args, fx.exportFile], { encoding: "utf8", maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (res.status === 2) throw new Error(`audittrail-verify failed:\n${res.stderr}`);
  const result = JSON.parse(res.stdout);
  return { seconds, exit: res.status, result };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeMode(fx, withTiles, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = verifyOnce(fx, withTiles);
    if (s.exit !== 0)
      throw new Error(`untouched log did not verify: ${JSON.stringify(s.result.findings.slice(0, 3))}`);
    log(`  ${withTiles ? "tiles   " : "no tiles"} run ${i + 1}: ${round(s.seconds, 2)} s`);
    samples.push(s.seconds);
  }
  return {
    median_s: round(median(samples), 2),
    runs_s: samples.map((s) => round(s, 2)),
    met: median(samples) <= GOAL_S,
  };
}

/** Flips one digit inside event `seq`'s body in place, as an attacker editing the file would. */
function tamperLine(file, seq) {
  const fd = openSync(file, "r+");
  const buf = Buffer.alloc(1 << 20);
  let offset = 0;
  let line = 1;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, offset);
    for (let i = 0; i < n; i++) {
      if (line === seq && buf[i] === 0x22 && buf.subarray(i, i + 9).toString() === '"amount":') {
        const at = offset + i + 9;
        const digit = Buffer.alloc(1);
        readSync(fd, digit, 0, 1, at);
        writeSync(fd, Buffer.from([digit[0] === 0x39 ? 0x31 : digit[0] + 1]), 0, 1, at);
        closeSync(fd);
        return;
      }
      if (buf[i] === 0x0a) line++;
    }
    if (n === 0) throw new Error(`line ${seq} not found`);
    offset += n;
  }
}

export async function run() {
  const count = envInt("AUDIT_VERIFY_EVENTS", 1_000_000);
  const runs = envInt("AUDIT_VERIFY_RUNS", 3);
  const dir = mkdtempSync(join(tmpdir(), "audittrail-verify-bench-"));
  try {
    log(`audit-verify: writing ${count.toLocaleString("en")} events, tiles and a signed checkpoint…`);
    const t0 = performance.now();
    const fx = writeFixture(dir, count);
    const generationS = round((performance.now() - t0) / 1000, 1);
    const fileMb = round(statSync(fx.exportFile).size / 1e6, 1);
    log(`  ${fileMb} MB of NDJSON in ${generationS} s; verifying (${process.version})`);
    const idlePct = await waitForQuiet();
    const tiles = timeMode(fx, true, runs);
    const noTiles = timeMode(fx, false, runs);
    const target = Math.ceil(count / 3);
    tamperLine(fx.exportFile, target);
    const tampered = verifyOnce(fx, true);
    const located = tampered.result.findings.map((f) => `${f.class}:${f.seq}`);
    log(`  one edited event: exit ${tampered.exit}, ${located.join(" ")} in ${round(tampered.seconds, 2)} s`);
    const figures = {
      events: count,
      export_mb: fileMb,
      generation_s: generationS,
      with_tiles: tiles,
      without_tiles: noTiles,
      goal_s: GOAL_S,
      met: tiles.met && noTiles.met,
      tampered: {
        edited_seq: target,
        exit: tampered.exit,
        findings: located,
        seconds: round(tampered.seconds, 2),
      },
    };
    log(
      `audit-verify: median ${tiles.median_s} s with tiles, ${noTiles.median_s} s without (goal ≤ ${GOAL_S} s)`,
    );
    const params = {
      runs,
      node: process.version,
      cli: "bin/audittrail-verify.mjs --json",
      idle_pct_before: idlePct,
    };
    return writeResult("audit-verify", params, figures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await run();
}
