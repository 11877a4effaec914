// Smoke test of the real CLI (bin/audittrail-verify.mjs) in Node, which the Workers-runtime tests
// cannot spawn: a 1,000-event log written by the benchmark's fixture writer, then one run per
// tampering class, input format and usage error, checking exit status and findings.
//   node test/audit/tlog/cli-smoke.mjs          (exits 1 on the first failed check)
import { spawnSync } from "node:child_process";
import { sign } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { writeFixture } from "../../../bench/audit-verify.mjs";
import { consistencyProof, rootAt, sha256, toBase64, toHex } from "../../../worker/audit/tlog/merkle.mjs";
import {
  assembleNote,
  checkpointText,
  keyId,
  parseVkey,
  signatureLine,
} from "../../../worker/audit/tlog/note.mjs";
import { nodeHashFromEntries, tilePath } from "../../../worker/audit/tlog/tiles.mjs";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "../../../bin/audittrail-verify.mjs");
const N = 1000;
const dir = mkdtempSync(join(tmpdir(), "audittrail-cli-smoke-"));
let failures = 0;

function cli(...args) {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  let json = null;
  try {
    json = JSON.parse(res.stdout);
  } catch {}
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, json };
}

function check(name, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `\n     ${detail}`}`);
  if (!ok) failures++;
}

const findings = (r) =>
  (r.json?.findings ?? []).map((f) => `${f.class}:${f.seq ?? f.path ?? f.code ?? ""}`).join(" ");

function expectRun(name, args, code, found) {
  const r = cli("--json", ...args);
  const got = findings(r);
  check(
    name,
    r.code === code && (found === undefined || got === found),
    `exit ${r.code} findings "${got}" ${r.stderr}`,
  );
  return r;
}

function writeVariant(name, lines) {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function signAs(fx, size) {
  const { name, publicKey } = parseVkey(fx.vkey);
  const root = rootAt(
    size,
    nodeHashFromEntries((l, s, c) => fx.store.read(l, s, c)),
  );
  const text = checkpointText(fx.origin, size, root);
  const note = assembleNote(text, [
    signatureLine(name, keyId(name, publicKey), sign(null, Buffer.from(text), fx.privateKey)),
  ]);
  const file = join(dir, `checkpoint-${size}`);
  writeFileSync(file, note);
  return file;
}

try {
  const fx = writeFixture(join(dir, "log"), N);
  const lines = readFileSync(fx.exportFile, "utf8").trimEnd().split("\n");
  const base = ["--key", fx.vkeyFile, "--checkpoint", fx.checkpointFile];
  const tiles = ["--tiles", fx.tilesDir];

  const ok = cli(...base, fx.exportFile);
  check(
    "text report says VERIFIED, exit 0",
    ok.code === 0 && ok.stdout.includes("VERIFIED"),
    ok.stdout + ok.stderr,
  );
  expectRun("verified with tiles", [...base, ...tiles, fx.exportFile], 0, "");
  expectRun(
    "checkpoint read from the tiles directory",
    ["--key", fx.vkeyFile, ...tiles, fx.exportFile],
    0,
    "",
  );
  const rawKey = Buffer.from(parseVkey(fx.vkey).publicKey).toString("base64");
  expectRun("raw base64 key", ["--key", rawKey, "--checkpoint", fx.checkpointFile, fx.exportFile], 0, "");

  const edited = lines.slice();
  edited[99] = edited[99].replace('"amount":', '"amount":1');
  expectRun(
    "modified event located",
    [...base, ...tiles, writeVariant("modified.ndjson", edited)],
    1,
    "modified:100",
  );
  expectRun(
    "modified event, no tiles",
    [...base, writeVariant("modified2.ndjson", edited)],
    1,
    "modified:100",
  );

  const removed = lines.filter((_, i) => i !== 499);
  expectRun("removed event located", [...base, writeVariant("removed.ndjson", removed)], 1, "removed:500");

  const duplicated = [...lines.slice(0, 10), lines[9], ...lines.slice(10)];
  expectRun(
    "duplicated event located",
    [...base, ...tiles, writeVariant("dup.ndjson", duplicated)],
    1,
    "inserted:10",
  );

  const swapped = lines.slice();
  [swapped[199], swapped[299]] = [swapped[299], swapped[199]];
  expectRun(
    "swapped lines located",
    [...base, writeVariant("swapped.ndjson", swapped)],
    1,
    "reordered:300 reordered:200",
  );

  const tileFile = join(fx.tilesDir, tilePath(0, 1));
  const tile = readFileSync(tileFile);
  tile[5] ^= 1;
  writeFileSync(tileFile, tile);
  expectRun(
    "overwritten tile found, events still proven",
    [...base, ...tiles, fx.exportFile],
    1,
    "tile:tile/0/001",
  );
  tile[5] ^= 1;
  writeFileSync(tileFile, tile);

  const other = writeFixture(join(dir, "other"), 10, { tenantId: "t_bench" });
  expectRun(
    "checkpoint signed by an unknown key",
    ["--key", fx.vkeyFile, "--checkpoint", other.checkpointFile, fx.exportFile],
    1,
    "checkpoint:unknown_key",
  );
  const forged = readFileSync(fx.checkpointFile, "utf8").replace(`\n${N}\n`, `\n${N - 1}\n`);
  writeFileSync(join(dir, "forged"), forged);
  expectRun(
    "altered checkpoint",
    ["--key", fx.vkeyFile, "--checkpoint", join(dir, "forged"), fx.exportFile],
    1,
    "checkpoint:bad_signature",
  );

  const older = signAs(fx, 900);
  expectRun(
    "rollback to an older checkpoint",
    [
      ...base.slice(0, 2),
      "--checkpoint",
      older,
      "--previous-checkpoint",
      fx.checkpointFile,
      ...tiles,
      fx.exportFile,
    ],
    1,
    "rollback:",
  );
  const consistent = expectRun(
    "consistent with an older trusted checkpoint",
    [...base, "--previous-checkpoint", older, fx.exportFile],
    0,
    "",
  );
  check(
    "previous checkpoint reported consistent",
    consistent.json?.previous_checkpoint?.result === "consistent",
  );

  const archive = join(dir, "archive");
  mkdirSync(archive);
  for (const [day, part] of [
    ["2026-10-01", lines.slice(0, 600)],
    ["2026-10-02", lines.slice(600)],
  ]) {
    const content = Buffer.from(`${part.join("\n")}\n`);
    const gz = gzipSync(content);
    writeFileSync(join(archive, `${day}.ndjson.gz`), gz);
    const seqs = part.map((l) => Number(/"seq":(\d+)/.exec(l)[1]));
    const manifest = {
      format: "ndjson.gz",
      range: { first_seq: seqs[0], last_seq: seqs.at(-1) },
      count: part.length,
      sha256: toHex(sha256(gz)),
      content_sha256: toHex(sha256(content)),
      checkpoint: readFileSync(fx.checkpointFile, "utf8"),
      filters: {},
    };
    writeFileSync(join(archive, `${day}.manifest.json`), JSON.stringify(manifest));
  }
  expectRun("archive directory of .ndjson.gz days with manifests", ["--key", fx.vkeyFile, archive], 0, "");
  const m = JSON.parse(readFileSync(join(archive, "2026-10-02.manifest.json"), "utf8"));
  writeFileSync(join(archive, "2026-10-02.manifest.json"), JSON.stringify({ ...m, count: m.count + 1 }));
  expectRun("archive manifest count mismatch", ["--key", fx.vkeyFile, archive], 1, "manifest:");
  writeFileSync(join(archive, "2026-10-02.manifest.json"), JSON.stringify(m));
  rmSync(join(archive, "2026-10-01.ndjson.gz"));
  rmSync(join(archive, "2026-10-01.manifest.json"));
  expectRun(
    "one archive day alone needs tiles",
    ["--key", fx.vkeyFile, "--checkpoint", fx.checkpointFile, "--range", "601-1000", archive],
    2,
  );
  expectRun("one archive day alone, with tiles", [...base, ...tiles, archive], 0, "");

  const prefix = writeVariant("first-900.ndjson", lines.slice(0, 900));
  const nodeHash = nodeHashFromEntries((l, s, c) => fx.store.read(l, s, c));
  const proof = { from_size: 900, to_size: N, hashes: consistencyProof(900, N, nodeHash).map(toBase64) };
  writeFileSync(join(dir, "proof.json"), JSON.stringify(proof));
  expectRun(
    "older export bridged by --proof",
    [...base, "--range", "1-900", "--proof", join(dir, "proof.json"), prefix],
    0,
    "",
  );
  expectRun("older export without tiles or proof", [...base, "--range", "1-900", prefix], 2);

  const json = `[\n${lines.join(",\n")}\n]\n`;
  writeFileSync(join(dir, "export.json"), json);
  expectRun("JSON array export", [...base, join(dir, "export.json")], 0, "");
  writeFileSync(join(dir, "pretty.json"), JSON.stringify(JSON.parse(json), null, 2));
  expectRun("pretty-printed JSON array", [...base, join(dir, "pretty.json")], 0, "");

  check("no key is a usage error", cli(fx.exportFile).code === 2);
  check("missing input is a usage error", cli(...base, join(dir, "nope.ndjson")).code === 2);
  check("bad --range is a usage error", cli(...base, "--range", "x", fx.exportFile).code === 2);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  failures
    ? `\n${failures} check(s) failed (${process.version})`
    : `\nall checks passed (${process.version})`,
);
process.exitCode = failures ? 1 : 0;
