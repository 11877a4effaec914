#!/usr/bin/env node
// audittrail-verify: checks an AuditTrail audit-log export offline against the tenant's signed
// checkpoint. Exit status 0 = verified, 1 = tampering found, 2 = usage error or not verifiable.
// See docs/audit-verify.md.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  EventCollector,
  exitCode,
  parseRange,
  parseTrustedKey,
  verifyLog,
} from "../worker/audit/tlog/verify.mjs";
import {
  listEventFiles,
  publishedCheckpoint,
  readEventFile,
  siblingManifest,
  tileFetcher,
} from "./lib/inputs.mjs";
import { formatReport } from "./lib/report.mjs";

const USAGE = `usage: audittrail-verify [options] <export or archive dir>...

Inputs: NDJSON exports (.ndjson), JSON exports (.json), archive days (.ndjson.gz), or
directories of them. A file's manifest (<name>.manifest.json beside it) is checked too.

  --key <vkey|file>             the tenant's public key (required): the vkey from
                                GET /api/v1/audit/public-key, that JSON, or a raw key (hex/base64)
  --checkpoint <file>           signed checkpoint note (default: the manifest's, else <tiles>/checkpoint)
  --previous-checkpoint <file>  a checkpoint trusted earlier: rollback and fork check
  --tiles <dir|url>             the log's tiles (R2 prefix audit/<tenant>/): locate every change
  --proof <file>                consistency proof (GET /api/v1/audit/proofs/consistency?from=<last seq>)
                                for an export that ends before the checkpoint's size, without tiles
  --manifest <file>             manifest of a single export file (default: found beside it)
  --range <from-to>             seqs the inputs should cover (default: manifests, else 1..size)
  --filtered                    the export was made with filters: do not report skipped seqs
  --origin <origin>             expected checkpoint origin (default: the key name)
  --json                        machine-readable result
  -h, --help`;

class UsageError extends Error {}

function options() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        key: { type: "string" },
        checkpoint: { type: "string" },
        "previous-checkpoint": { type: "string" },
        tiles: { type: "string" },
        manifest: { type: "string" },
        proof: { type: "string" },
        range: { type: "string" },
        filtered: { type: "boolean" },
        origin: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageError(err.message);
  }
}

const readText = (path, what) => {
  if (!existsSync(path)) throw new UsageError(`${what} ${path} does not exist`);
  return readFileSync(path, "utf8");
};

async function readInputs(paths, manifestFlag) {
  const files = listEventFiles(paths);
  if (files.length === 0) throw new UsageError("no event files found in the inputs");
  if (manifestFlag && files.length > 1) throw new UsageError("--manifest applies to a single export file");
  const events = new EventCollector();
  const manifests = [];
  for (const file of files) {
    const checked = await readEventFile(events, file, manifestFlag ?? siblingManifest(file));
    if (checked) manifests.push(checked);
  }
  return { events, manifests };
}

async function checkpointNote(values, manifests) {
  if (values.checkpoint) return readText(values.checkpoint, "checkpoint");
  const fromManifest = manifests.map((m) => m.manifest.checkpoint).find((c) => typeof c === "string");
  if (fromManifest) return fromManifest;
  const published = values.tiles ? await publishedCheckpoint(values.tiles) : null;
  if (published) return published;
  throw new UsageError("no checkpoint: pass --checkpoint (or a manifest or --tiles that has one)");
}

async function main() {
  const { values, positionals } = options();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.key) throw new UsageError("--key is required: the tenant's public key, obtained out of band");
  if (positionals.length === 0) throw new UsageError("name at least one export file or directory");
  const range = values.range === undefined ? undefined : parseRange(values.range);
  if (range === null) throw new UsageError("--range reads <from>-<to>, e.g. 1-5000");
  const { events, manifests } = await readInputs(positionals, values.manifest);
  const checkpoint = await checkpointNote(values, manifests);
  const keyText = existsSync(values.key) ? readFileSync(values.key, "utf8") : values.key;
  const result = await verifyLog({
    checkpoint,
    key: parseTrustedKey(keyText, checkpoint),
    events,
    manifests,
    range,
    complete: values.filtered ? false : undefined,
    origin: values.origin,
    fetchTile: values.tiles ? tileFetcher(values.tiles) : undefined,
    previousCheckpoint:
      values["previous-checkpoint"] && readText(values["previous-checkpoint"], "checkpoint"),
    consistencyProof: values.proof && JSON.parse(readText(values.proof, "proof")),
  });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
  return exitCode(result);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    const usage = err instanceof UsageError || err?.name === "NoteError";
    process.stderr.write(
      `audittrail-verify: ${err.message}\n${err instanceof UsageError ? `\n${USAGE}\n` : ""}`,
    );
    if (!usage) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 2;
  },
);
