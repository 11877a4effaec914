// RFC 6962 / RFC 9162 Merkle tree: hashing, incremental roots, proof generation and verification.
// Plain JS (with merkle.d.mts beside it) so the Worker and the offline verifier (Node ≥ 20, no build
// step) run this one implementation. Hashing is synchronous through node:crypto, which workerd
// provides under nodejs_compat: a Merkle tree needs millions of tiny hashes, and awaiting WebCrypto
// for each would dominate the cost.
import * as nodeCrypto from "node:crypto";

export const HASH_SIZE = 32;

// Node ≥ 20.12 has a one-shot hash that is ~40% faster than createHash for 65-byte inputs.
const digest =
  typeof nodeCrypto.hash === "function"
    ? (data) => nodeCrypto.hash("sha256", data, "buffer")
    : (data) => nodeCrypto.createHash("sha256").update(data).digest();

export class ProofError extends Error {
  name = "ProofError";
}

/** SHA-256 of `data`. */
export function sha256(data) {
  return digest(data);
}

/** The root of the empty tree: SHA-256 of nothing. */
export function emptyRoot() {
  return digest(new Uint8Array(0));
}

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ data). */
export function hashLeaf(data) {
  const input = new Uint8Array(data.length + 1);
  input.set(data, 1);
  return digest(input);
}

// Reused for every interior node; safe because hashing here never yields.
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = 1;

/** RFC 6962 interior node: SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren(left, right) {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return digest(nodeInput);
}

export function bytesEqual(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Largest power of two strictly below n (n ≥ 2): the RFC 6962 split point. */
export function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function log2Exact(k) {
  let h = 0;
  while (2 ** h < k) h++;
  return h;
}

/**
 * The perfect-subtree hashes (the "compact range") covering leaves [0, size): one per set bit of
 * size, largest first. Appending is O(log n) and the root is a fold of these hashes, so a log never
 * needs more than this to extend itself.
 */
export class CompactRange {
  #size;
  #hashes;

  constructor(size = 0, hashes = []) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad tree size ${size}`);
    if (hashes.length !== popcount(size)) throw new RangeError("compact range does not match its size");
    this.#size = size;
    this.#hashes = hashes.slice();
  }

  get size() {
    return this.#size;
  }

  get hashes() {
    return this.#hashes.slice();
  }

  /**
   * Adds one leaf hash. `onNode(height, index, hash)` sees every perfect subtree this completes,
   * the leaf itself included (height 0), so callers can keep whichever levels they store.
   */
  append(leafHash, onNode) {
    let hash = leafHash;
    let height = 0;
    let index = this.#size;
    onNode?.(height, index, hash);
    // Each trailing 1-bit of the old size is a finished subtree of the same height to merge with.
    for (let s = this.#size; s % 2 === 1; s = (s - 1) / 2) {
      hash = hashChildren(this.#hashes.pop(), hash);
      height++;
      index = Math.floor(index / 2);
      onNode?.(height, index, hash);
    }
    this.#hashes.push(hash);
    this.#size++;
  }

  root() {
    return foldRight(this.#hashes);
  }
}

function popcount(n) {
  let count = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) count += s % 2;
  return count;
}

/** Root of perfect subtrees listed largest first: H(h0, H(h1, … H(hn-2, hn-1))). */
function foldRight(hashes) {
  if (hashes.length === 0) return emptyRoot();
  let root = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) root = hashChildren(hashes[i], root);
  return root;
}

/**
 * MTH(D[begin : begin+size]) for a range the RFC 6962 recursion produces: `begin` is a multiple of
 * the smallest power of two ≥ size, so the range splits into aligned perfect subtrees, largest first.
 * `nodeHash(height, index)` returns the hash of perfect subtree `index` at `height`.
 */
export function subtreeRoot(begin, size, nodeHash) {
  if (size < 1) throw new RangeError("empty subtree");
  const parts = [];
  let at = begin;
  for (let k = 2 ** log2Exact(size); k >= 1; k /= 2) {
    if (at + k > begin + size) continue;
    if (at % k !== 0) throw new RangeError(`range [${begin}, ${begin + size}) is not aligned`);
    parts.push(nodeHash(log2Exact(k), at / k));
    at += k;
  }
  return foldRight(parts);
}

/** Root of the tree of `size` leaves. */
export function rootAt(size, nodeHash) {
  return size === 0 ? emptyRoot() : subtreeRoot(0, size, nodeHash);
}

function checkSize(name, n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new ProofError(`${name} must be a non-negative integer`);
}

/** RFC 6962 §2.1.1 PATH(index, D[0:size]): sibling hashes from the leaf up. */
export function inclusionProof(index, size, nodeHash) {
  checkSize("index", index);
  checkSize("size", size);
  if (index >= size) throw new ProofError(`index ${index} is not in a tree of size ${size}`);
  const proof = [];
  let begin = 0;
  let n = size;
  let m = index;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      proof.push(subtreeRoot(begin + k, n - k, nodeHash));
      n = k;
    } else {
      proof.push(nodeHash(log2Exact(k), begin / k));
      begin += k;
      m -= k;
      n -= k;
    }
  }
  return proof.reverse();
}

/** RFC 6962 §2.1.2 PROOF(size1, D[0:size2]), for 0 < size1 ≤ size2. */
export function consistencyProof(size1, size2, nodeHash) {
  checkSize("size1", size1);
  checkSize("size2", size2);
  if (size1 === 0 || size1 > size2) throw new ProofError(`no consistency proof from ${size1} to ${size2}`);
  const proof = [];
  let begin = 0;
  let n = size2;
  let m = size1;
  let wholeOldTree = true; // SUBPROOF's b: the old tree is a prefix we still share with the caller
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      proof.push(subtreeRoot(begin + k, n - k, nodeHash));
      n = k;
    } else {
      proof.push(nodeHash(log2Exact(k), begin / k));
      begin += k;
      m -= k;
      n -= k;
      wholeOldTree = false;
    }
  }
  if (!wholeOldTree) proof.push(subtreeRoot(begin, n, nodeHash));
  return proof.reverse();
}

// Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 in the bit-decomposition form; BigInt keeps
// the bit arithmetic exact beyond 2^32 leaves.

function bitLength(x) {
  return x === 0n ? 0 : x.toString(2).length;
}

function onesCount(x) {
  let count = 0;
  for (const c of x.toString(2)) if (c === "1") count++;
  return count;
}

function trailingZeros(x) {
  let count = 0;
  for (let v = x; (v & 1n) === 0n; v >>= 1n) count++;
  return count;
}

/** Splits the path of leaf `index` in a tree of `size` where it departs from the right border. */
function decompose(index, size) {
  const inner = bitLength(index ^ (size - 1n));
  const border = onesCount(index >> BigInt(inner));
  return { inner, border };
}

function checkHash(what, h) {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE)
    throw new ProofError(`${what} is not a SHA-256 hash`);
}

function checkProof(proof) {
  if (!Array.isArray(proof)) throw new ProofError("proof must be a list of hashes");
  for (const [i, h] of proof.entries()) checkHash(`proof[${i}]`, h);
}

function chainInner(seed, proof, index) {
  let h = seed;
  proof.forEach((p, i) => {
    h = ((index >> BigInt(i)) & 1n) === 0n ? hashChildren(h, p) : hashChildren(p, h);
  });
  return h;
}

// Only the left siblings count: what this subtree hashed to before the right side grew.
function chainInnerRight(seed, proof, index) {
  let h = seed;
  proof.forEach((p, i) => {
    if (((index >> BigInt(i)) & 1n) === 1n) h = hashChildren(p, h);
  });
  return h;
}

function chainBorderRight(seed, proof) {
  let h = seed;
  for (const p of proof) h = hashChildren(p, h);
  return h;
}

/** The root an inclusion proof implies; throws ProofError if the proof cannot be right. */
export function rootFromInclusionProof(index, size, leafHash, proof) {
  checkSize("index", index);
  checkSize("size", size);
  if (index >= size) throw new ProofError(`index ${index} is beyond tree size ${size}`);
  checkHash("leaf hash", leafHash);
  checkProof(proof);
  const idx = BigInt(index);
  const { inner, border } = decompose(idx, BigInt(size));
  if (proof.length !== inner + border) {
    throw new ProofError(`wrong proof length ${proof.length}, want ${inner + border}`);
  }
  return chainBorderRight(chainInner(leafHash, proof.slice(0, inner), idx), proof.slice(inner));
}

export function verifyInclusion(index, size, leafHash, proof, root) {
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  if (!bytesEqual(computed, root)) throw new ProofError("inclusion proof does not lead to the root");
}

/** The size2 root a consistency proof implies, after checking it reproduces root1. */
export function rootFromConsistencyProof(size1, size2, proof, root1) {
  checkSize("size1", size1);
  checkSize("size2", size2);
  checkProof(proof);
  checkHash("root1", root1);
  if (size2 < size1) throw new ProofError(`size2 ${size2} < size1 ${size1}`);
  // Unlike RFC 9162 we refuse size1 = 0 even for size2 = 0: an empty tree proves nothing.
  if (size1 === 0) throw new ProofError("a consistency proof from the empty tree is meaningless");
  if (size1 === size2) {
    if (proof.length > 0) throw new ProofError("equal sizes need an empty proof");
    return root1;
  }
  if (proof.length === 0) throw new ProofError("empty consistency proof");
  const s1 = BigInt(size1);
  const shift = trailingZeros(s1);
  const decomposed = decompose(s1 - 1n, BigInt(size2));
  const inner = decomposed.inner - shift;
  // When size1 is a power of two its root is itself a node on the path; otherwise proof[0] is.
  const [seed, start] = s1 === 1n << BigInt(shift) ? [root1, 0] : [proof[0], 1];
  if (proof.length !== start + inner + decomposed.border) {
    throw new ProofError(`wrong proof length ${proof.length}, want ${start + inner + decomposed.border}`);
  }
  const rest = proof.slice(start);
  const mask = (s1 - 1n) >> BigInt(shift);
  const hash1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!bytesEqual(hash1, root1)) throw new ProofError("consistency proof does not reproduce the old root");
  return chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
}

export function verifyConsistency(size1, size2, proof, root1, root2) {
  const computed = rootFromConsistencyProof(size1, size2, proof, root1);
  if (!bytesEqual(computed, root2)) throw new ProofError("consistency proof does not lead to the new root");
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

export function fromHex(hex) {
  if (typeof hex !== "string" || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError("not a hex string");
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

/** Strict standard base64 (RFC 4648 §4, padded); anything else throws. */
export function fromBase64(text) {
  if (typeof text !== "string" || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new TypeError("not standard base64");
  }
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  if (toBase64(out) !== text) throw new TypeError("not canonical base64");
  return out;
}
