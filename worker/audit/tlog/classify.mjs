// Naming what was done to an export, given the leaf hashes the log committed to (trusted):
//   modified   an event's content no longer hashes to the leaf at its seq, and that leaf is gone
//   removed    a committed seq has no event, and its content is nowhere in the export
//   inserted   an event whose content the log never committed (extra row, duplicate seq)
//   reordered  a committed event sits at another seq, or a line is out of seq order in its file
import { HASH_SIZE } from "./merkle.mjs";

/** The first 6 bytes of a hash as a number: a map key that needs no string building. */
const key48 = (h) =>
  (h[0] * 256 + h[1]) * 2 ** 32 + (((h[2] << 24) | (h[3] << 16) | (h[4] << 8) | h[5]) >>> 0);

/** Lookup from leaf hash to index, built only once something does not match. */
function positionIndex(size, trustedLeaf, leafAt) {
  const byKey = new Map();
  for (let i = 0; i < size; i++) {
    if (!trustedLeaf(i)) continue;
    const key = key48(leafAt(i));
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, i);
    else byKey.set(key, Array.isArray(seen) ? [...seen, i] : [seen, i]);
  }
  return (hash) => {
    const hit = byKey.get(key48(hash));
    const candidates = hit === undefined ? [] : Array.isArray(hit) ? hit : [hit];
    return candidates.find((i) => sameHash(leafAt(i), hash));
  };
}

function sameHash(a, b) {
  for (let i = 0; i < HASH_SIZE; i++) if (a[i] !== b[i]) return false;
  return true;
}

const where = (events, e) => ({
  seq: events.seq(e),
  file: events.files[events.file(e)],
  line: events.line(e),
});

/**
 * Compares every event with the committed leaf at its seq. `trustedLeaf(i)` says whether leaf i is
 * known, `leafAt(i)` returns it. Seqs beyond `size` are not covered by the checkpoint and skipped.
 * `complete` says the export claims every seq from..to (an unfiltered export or archive).
 */
export function classifyEvents(events, { size, from, to, complete = true, trustedLeaf, leafAt }, report) {
  const matchedBy = new Float64Array(size + 2); // event index + 1 holding each seq
  const foundElsewhere = new Uint8Array(size + 2);
  const foreignAt = new Map();
  const foreign = [];
  let locate = null;
  for (let e = 0; e < events.count; e++) {
    const s = events.seq(e);
    if (s > size) {
      // Newer than the checkpoint, unless it is a committed event pushed past the end.
      locate ??= positionIndex(size, trustedLeaf, leafAt);
      const j = locate(events.content(e));
      if (j === undefined) report.notCovered(s);
      else {
        foundElsewhere[j + 1] = 1;
        report.add("reordered", {
          ...where(events, e),
          message: `holds the event committed at seq ${j + 1}`,
        });
      }
      continue;
    }
    if (!trustedLeaf(s - 1)) continue;
    if (sameHash(events.content(e), leafAt(s - 1))) {
      const first = matchedBy[s];
      if (first === 0) matchedBy[s] = e + 1;
      else if (events.file(first - 1) === events.file(e)) {
        report.add("inserted", {
          ...where(events, e),
          message: `duplicate of seq ${s} (line ${events.line(first - 1)})`,
        });
      }
      continue;
    }
    locate ??= positionIndex(size, trustedLeaf, leafAt);
    const j = locate(events.content(e));
    if (j !== undefined) {
      foundElsewhere[j + 1] = 1;
      report.add("reordered", { ...where(events, e), message: `holds the event committed at seq ${j + 1}` });
    } else {
      foreign.push(e);
      if (!foreignAt.has(s)) foreignAt.set(s, e);
    }
  }
  const consumed = new Set();
  for (let s = from; s <= Math.min(to, size); s++) {
    if (matchedBy[s] !== 0 || foundElsewhere[s] || !trustedLeaf(s - 1)) continue;
    const e = foreignAt.get(s);
    if (e === undefined) {
      // A filtered export leaves seqs out on purpose; only a complete one can miss events.
      if (!complete) continue;
      report.add("removed", {
        seq: s,
        message: `seq ${s} is committed in the log but missing from the export`,
      });
    } else {
      consumed.add(e);
      report.add("modified", { ...where(events, e), message: "content differs from what the log committed" });
    }
  }
  for (const e of foreign) {
    if (consumed.has(e)) continue;
    report.add("inserted", { ...where(events, e), message: "the log never committed this event" });
  }
  let verified = 0;
  for (let s = from; s <= Math.min(to, size); s++) if (matchedBy[s] !== 0) verified++;
  return verified;
}

/** Lines whose seq is not where sorting the file's seqs would put it. */
export function checkFileOrder(events, report) {
  const byFile = new Map();
  for (let e = 0; e < events.count; e++) {
    const f = events.file(e);
    if (!byFile.has(f)) byFile.set(f, []);
    byFile.get(f).push(e);
  }
  for (const indexes of byFile.values()) {
    const sorted = Float64Array.from(indexes, (e) => events.seq(e)).sort();
    indexes.forEach((e, k) => {
      if (events.seq(e) !== sorted[k]) {
        report.add("reordered", { ...where(events, e), message: "line is out of seq order in its file" });
      }
    });
  }
}
