// The offline verifier's core, shared by bin/audittrail-verify.mjs and the Worker tests: checks a
// signed checkpoint, rebuilds the tenant's Merkle tree from exported events (or checks them leaf
// by leaf against published tiles) and names every seq that was modified, removed, inserted or
// reordered. I/O stays with the caller: events arrive through an EventCollector, tiles through
// `fetchTile(path)`.
import { checkFileOrder, classifyEvents } from "./classify.mjs";
import { bytesEqual, consistencyProof, emptyRoot, rootAt, toBase64, verifyConsistency } from "./merkle.mjs";
import { NoteError, openCheckpoint } from "./note.mjs";
import { nodeHashFromEntries } from "./tiles.mjs";
import { trustFromExport, trustFromTiles } from "./trusted-tree.mjs";
import { checkManifests, declaredRange, hasFilters, manifestProof } from "./verify-options.mjs";

export { canonicalJson, EventCollector, eventLeafHash } from "./events.mjs";
export { parseRange, parseTrustedKey } from "./verify-options.mjs";

const MAX_FINDINGS = 1000;

/** Findings and notes collected during one verification. */
class Report {
  findings = [];
  counts = {};
  warnings = [];
  dropped = 0;
  incomplete = null;
  uncovered = { count: 0, min: null, max: null };

  add(kind, detail) {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    if (this.findings.length < MAX_FINDINGS) this.findings.push({ class: kind, ...detail });
    else this.dropped++;
  }

  notCovered(seq) {
    const u = this.uncovered;
    u.count++;
    u.min = u.min === null ? seq : Math.min(u.min, seq);
    u.max = u.max === null ? seq : Math.max(u.max, seq);
  }
}

/**
 * Whether the verified tree extends `prev`. A tree covering the whole checkpoint proves it with a
 * consistency proof; one covering a proven prefix (export + --proof) by the prefix's own root.
 */
function extends_(tree, prev, cp) {
  const nodeHash = nodeHashFromEntries((l, s, c) => tree.store.read(l, s, c));
  if (tree.covered < cp.size) return bytesEqual(rootAt(prev.size, nodeHash), prev.root);
  try {
    verifyConsistency(prev.size, cp.size, consistencyProof(prev.size, cp.size, nodeHash), prev.root, cp.root);
    return true;
  } catch {
    return false;
  }
}

/** A checkpoint trusted earlier must be a prefix of this one: never larger, never forked. */
async function checkPrevious(note, key, origin, cp, tree, report) {
  const prev = await openCheckpoint(note, key, origin);
  const summary = { size: prev.size, root_hash: toBase64(prev.root), result: "consistent" };
  const fork = (message) => {
    summary.result = "fork";
    report.add("fork", { message });
  };
  if (prev.size > cp.size) {
    summary.result = "rollback";
    report.add("rollback", {
      message: `checkpoint size ${cp.size} is older than the trusted size ${prev.size}`,
    });
  } else if (prev.size === cp.size || prev.size === 0) {
    const expected = prev.size === 0 ? emptyRoot() : cp.root;
    if (!bytesEqual(prev.root, expected)) fork(`two different roots were signed for size ${prev.size}`);
  } else if (!tree) {
    summary.result = "unchecked";
    report.warnings.push("consistency with the previous checkpoint needs --tiles or a complete export");
  } else if (prev.size > tree.covered) {
    summary.result = "unchecked";
    report.warnings.push(`consistency with the previous checkpoint needs the events up to seq ${prev.size}`);
  } else if (!extends_(tree, prev, cp)) {
    fork(`the tree of size ${cp.size} does not extend the trusted tree of size ${prev.size}`);
  }
  return summary;
}

/**
 * Verifies an export. Options: checkpoint (note text), key (from parseTrustedKey), events
 * (EventCollector), and optionally fetchTile, previousCheckpoint, range [from, to], complete
 * (false for a filtered export; default: true unless a manifest lists filters), origin, and
 * manifests: [{ file (index in events.files), manifest (parsed JSON), hashes (hex SHA-256 of the
 * file's bytes, raw and decompressed) }], and consistencyProof (GET /audit/proofs/consistency
 * from the export's last seq to the checkpoint's size, for an export older than its checkpoint).
 */
export async function verifyLog(options) {
  const { events, key } = options;
  const report = new Report();
  const origin = options.origin ?? key.name;
  let cp;
  try {
    cp = await openCheckpoint(options.checkpoint, key, origin);
  } catch (err) {
    if (!(err instanceof NoteError)) throw err;
    report.add("checkpoint", { code: err.code, message: err.message });
    return result(report, { events, checkpoint: null });
  }
  const manifests = options.manifests ?? [];
  const [from, to] = declaredRange(options, cp.size);
  const complete = options.complete ?? !manifests.some((m) => hasFilters(m.manifest));
  const scope = { from, to, complete };
  checkManifests(manifests, events, report);
  for (const m of events.malformed)
    report.add("malformed", { file: events.files[m.file], line: m.line, message: m.message });
  // Tiles that do not even reproduce the root are useless; the export may still do it alone.
  const tree =
    (options.fetchTile ? await trustFromTiles(cp, options.fetchTile, events, report) : null) ??
    trustFromExport(events, cp, scope, report, options.consistencyProof ?? manifestProof(manifests));
  const verified = tree ? classifyEvents(events, { size: cp.size, ...scope, ...tree }, report) : 0;
  checkFileOrder(events, report);
  const previous = options.previousCheckpoint
    ? await checkPrevious(options.previousCheckpoint, key, origin, cp, tree, report)
    : null;
  if (!tree && !report.incomplete && report.findings.length === 0)
    report.incomplete = "tiles could not be checked";
  return result(report, {
    events,
    checkpoint: cp,
    from,
    to,
    verified,
    previous,
    tiles: Boolean(options.fetchTile),
  });
}

function result(report, { events, checkpoint, from, to, verified = 0, previous = null, tiles = false }) {
  const tampered = report.findings.length > 0;
  const status = tampered ? "tampered" : report.incomplete ? "incomplete" : "verified";
  return {
    ok: status === "verified",
    status,
    checkpoint: checkpoint && {
      origin: checkpoint.origin,
      size: checkpoint.size,
      root_hash: toBase64(checkpoint.root),
    },
    range: checkpoint ? { from, to } : null,
    events: { read: events.count, verified, not_covered: report.uncovered, files: events.files },
    tiles_used: tiles,
    previous_checkpoint: previous,
    counts: report.counts,
    findings: report.findings,
    findings_not_listed: report.dropped,
    incomplete: report.incomplete,
    warnings: report.warnings,
  };
}

/** Exit status for the CLI: 0 verified, 1 tampering found, 2 could not verify. */
export function exitCode(result) {
  return result.status === "verified" ? 0 : result.status === "tampered" ? 1 : 2;
}
