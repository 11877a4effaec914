import { isoTime } from "../../lib/time";
import { consistencyProof, inclusionProof, toBase64, toHex } from "./merkle.mjs";
import type { LogStore, StoredCheckpoint } from "./store";
import type { Checkpoint, ConsistencyProof, InclusionProof, ProofResult } from "./types";

const fail = (status: 400 | 404, message: string) => ({ ok: false, status, message }) as const;
const isCount = (n: number) => Number.isSafeInteger(n) && n >= 1;
const b64 = (hashes: Uint8Array[]) => hashes.map(toBase64);

export function toCheckpoint(cp: StoredCheckpoint, origin: string): Checkpoint {
  return {
    origin,
    size: cp.size,
    root_hash: toBase64(cp.root),
    note: cp.note,
    signed_at: isoTime(cp.signedAt),
  };
}

/** Proofs are only served for trees a checkpoint covers: anything bigger is not signed yet. */
function checkCovered(latest: StoredCheckpoint | null, size: number, what: string) {
  if (!latest || latest.size === 0) return fail(404, "No checkpoint yet: the audit log is empty");
  if (size > latest.size) {
    return fail(
      404,
      `${what} ${size} is not covered by a checkpoint yet (latest size ${latest.size}); retry shortly`,
    );
  }
  return null;
}

export function inclusionFor(
  store: LogStore,
  latest: StoredCheckpoint | null,
  seq: number,
  treeSize?: number,
): ProofResult<InclusionProof> {
  if (!isCount(seq) || (treeSize !== undefined && !isCount(treeSize)))
    return fail(400, "seq and tree_size start at 1");
  const size = treeSize ?? latest?.size ?? 0;
  if (treeSize !== undefined && seq > treeSize) {
    return fail(400, `seq ${seq} is not in a tree of size ${treeSize}; tree_size must be ≥ seq`);
  }
  const uncovered = checkCovered(latest, Math.max(seq, size), treeSize === undefined ? "seq" : "tree_size");
  if (uncovered) return uncovered;
  const index = seq - 1;
  return {
    ok: true,
    value: {
      seq,
      leaf_index: index,
      tree_size: size,
      leaf_hash: toHex(store.leafHash(index)),
      root_hash: toBase64(store.root(size)),
      hashes: b64(inclusionProof(index, size, store.nodeHash)),
    },
  };
}

export function consistencyFor(
  store: LogStore,
  latest: StoredCheckpoint | null,
  from: number,
  to?: number,
): ProofResult<ConsistencyProof> {
  if (!isCount(from) || (to !== undefined && !isCount(to))) return fail(400, "from and to start at 1");
  const size2 = to ?? latest?.size ?? 0;
  if (from > size2) return fail(400, `from (${from}) must not exceed to (${size2})`);
  const uncovered = checkCovered(latest, size2, "to");
  if (uncovered) return uncovered;
  return {
    ok: true,
    value: {
      from_size: from,
      to_size: size2,
      from_root: toBase64(store.root(from)),
      to_root: toBase64(store.root(size2)),
      hashes: b64(consistencyProof(from, size2, store.nodeHash)),
    },
  };
}
