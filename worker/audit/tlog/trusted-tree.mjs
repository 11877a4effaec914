// Where the verifier gets the committed leaves from: the published tiles (checked against the
// signed root), or the exported events themselves when they rebuild that root.
import { bytesEqual, fromBase64, HASH_SIZE, verifyConsistency } from "./merkle.mjs";
import { entriesFromLeaves, perfectRoot, TILE_WIDTH } from "./tiles.mjs";
import { loadTrustedTiles } from "./verify-tiles.mjs";

const where = (events, e) => ({
  seq: events.seq(e),
  file: events.files[events.file(e)],
  line: events.line(e),
});

function gatherLeaves(bySeq, size, pick) {
  const leaves = new Uint8Array(size * HASH_SIZE);
  for (let s = 1; s <= size; s++) {
    const leaf = pick(bySeq[s] - 1);
    if (!leaf) return null;
    leaves.set(leaf, (s - 1) * HASH_SIZE);
  }
  return leaves;
}

function treeFrom(leaves, count, accept) {
  if (!leaves) return null;
  const built = entriesFromLeaves(leaves, count);
  if (!accept(built.root)) return null;
  const leafAt = (i) => built.store.entry(0, i);
  return { store: built.store, covered: count, trustedLeaf: (i) => i < count, leafAt };
}

/** Does `proof` (GET /audit/proofs/consistency) lead from a tree of `count` leaves to the checkpoint? */
function proofAccepts(proof, count, cp) {
  return (root) => {
    if (count === cp.size) return bytesEqual(root, cp.root);
    try {
      verifyConsistency(count, cp.size, proof.hashes.map(fromBase64), root, cp.root);
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * Without tiles the export itself must rebuild the signed root: all of seqs 1..size, or 1..to
 * plus a consistency proof from `to` to the checkpoint's size. If its content does not, its own
 * integrity.leaf_hash values may (then they are the committed leaves and locate the change);
 * otherwise only what the export shows by itself can be reported.
 */
export function trustFromExport(events, cp, { from, to, complete }, report, proof) {
  if (!complete) {
    report.incomplete = "a filtered export can only be checked event by event, with --tiles";
    return null;
  }
  const bridged = proof && proof.from_size === to && proof.to_size === cp.size && Array.isArray(proof.hashes);
  if (from !== 1 || (to < cp.size && !bridged)) {
    report.incomplete =
      `a partial export (seq ${from}–${to} of ${cp.size}) can only be checked with --tiles` +
      (from === 1
        ? `, or with --proof from GET /api/v1/audit/proofs/consistency?from=${to}&to=${cp.size}`
        : "");
    return null;
  }
  const count = Math.min(to, cp.size);
  const bySeq = new Float64Array(count + 1);
  for (let e = 0; e < events.count; e++) {
    const s = events.seq(e);
    if (s <= count && bySeq[s] === 0) bySeq[s] = e + 1;
  }
  const missing = [];
  for (let s = 1; s <= count; s++) if (bySeq[s] === 0) missing.push(s);
  if (missing.length === 0) {
    const accept = proofAccepts(proof, count, cp);
    const tree =
      treeFrom(
        gatherLeaves(bySeq, count, (e) => events.content(e)),
        count,
        accept,
      ) ??
      treeFrom(
        gatherLeaves(bySeq, count, (e) => events.claimed(e)),
        count,
        accept,
      );
    if (tree) return tree;
  }
  reportWithoutTree(events, bySeq, missing, report);
  return null;
}

function reportWithoutTree(events, bySeq, missing, report) {
  for (const s of missing) report.add("removed", { seq: s, message: `seq ${s} is missing from the export` });
  let naive = 0;
  for (let e = 0; e < events.count; e++) {
    const s = events.seq(e);
    if (s < bySeq.length && bySeq[s] !== e + 1) {
      naive++;
      report.add("inserted", { ...where(events, e), message: `seq ${s} appears more than once` });
    }
    const claimed = events.claimed(e);
    if (claimed && !bytesEqual(claimed, events.content(e))) {
      naive++;
      report.add("modified", {
        ...where(events, e),
        message: "content does not match its own integrity.leaf_hash",
      });
    }
  }
  if (missing.length === 0 && naive === 0) {
    report.add("modified", {
      message: "the export does not hash to the checkpoint root; pass --tiles to locate the events",
    });
  } else {
    report.warnings.push("without --tiles the other events could not be checked against the checkpoint root");
  }
}

export async function trustFromTiles(cp, fetchTile, events, report) {
  const loaded = await loadTrustedTiles(cp.size, cp.root, fetchTile);
  for (const f of loaded.findings) report.add(f.class, f);
  if (loaded.unverifiable) {
    report.warnings.push(`${loaded.unverifiable} tiles sit below a bad tile and were not checked`);
  }
  if (!loaded.store) return null;
  const rescued = rescueLeafTiles(loaded.badLeafTiles, events, cp.size);
  const tileOf = (i) => Math.floor(i / TILE_WIDTH);
  const trustedLeaf = (i) => loaded.trustedLeaf(i) || rescued.has(tileOf(i));
  for (let n = 0; n < Math.floor(cp.size / TILE_WIDTH); n++) {
    if (trustedLeaf(n * TILE_WIDTH)) continue;
    const [a, b] = [n * TILE_WIDTH + 1, (n + 1) * TILE_WIDTH];
    report.warnings.push(`seq ${a}–${b} could not be checked: their leaf tile is missing or bad`);
  }
  return {
    store: loaded.store,
    covered: cp.size,
    trustedLeaf,
    leafAt: (i) => {
      const tile = rescued.get(tileOf(i));
      const at = (i % TILE_WIDTH) * HASH_SIZE;
      return tile ? tile.subarray(at, at + HASH_SIZE) : loaded.store.entry(0, i);
    },
  };
}

/**
 * A leaf tile that fails its parent hash is untrusted, but if the exported events of that range
 * hash to the (trusted) parent entry, the events are exactly what the log committed: the tile
 * was tampered with, not the events.
 */
function rescueLeafTiles(badTiles, events, size) {
  const rescued = new Map();
  if (badTiles.length === 0) return rescued;
  const bySeq = new Float64Array(size + 1);
  for (let e = 0; e < events.count; e++) {
    const s = events.seq(e);
    if (s <= size && bySeq[s] === 0) bySeq[s] = e + 1;
  }
  for (const { n, parent } of badTiles) {
    const leaves = new Uint8Array(TILE_WIDTH * HASH_SIZE);
    let complete = true;
    for (let k = 0; k < TILE_WIDTH && complete; k++) {
      const e = bySeq[n * TILE_WIDTH + k + 1];
      if (e === 0) complete = false;
      else leaves.set(events.content(e - 1), k * HASH_SIZE);
    }
    if (complete && bytesEqual(perfectRoot(leaves, TILE_WIDTH), parent)) rescued.set(n, leaves);
  }
  return rescued;
}
