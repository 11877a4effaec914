/** Types for merkle.mjs (plain JS so the offline verifier runs it without a build step). */

/** Hash of the perfect subtree `index` (0-based, left to right) at `height` (leaves are height 0). */
export type NodeHash = (height: number, index: number) => Uint8Array;

export const HASH_SIZE: 32;

export class ProofError extends Error {}

export function sha256(data: Uint8Array): Uint8Array;
export function emptyRoot(): Uint8Array;
export function hashLeaf(data: Uint8Array): Uint8Array;
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array;
export function bytesEqual(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean;
export function splitPoint(n: number): number;

export class CompactRange {
  constructor(size?: number, hashes?: Uint8Array[]);
  readonly size: number;
  readonly hashes: Uint8Array[];
  append(leafHash: Uint8Array, onNode?: (height: number, index: number, hash: Uint8Array) => void): void;
  root(): Uint8Array;
}

export function subtreeRoot(begin: number, size: number, nodeHash: NodeHash): Uint8Array;
export function rootAt(size: number, nodeHash: NodeHash): Uint8Array;
export function inclusionProof(index: number, size: number, nodeHash: NodeHash): Uint8Array[];
export function consistencyProof(size1: number, size2: number, nodeHash: NodeHash): Uint8Array[];

export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: Uint8Array[],
): Uint8Array;
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: Uint8Array[],
  root: Uint8Array,
): void;
export function rootFromConsistencyProof(
  size1: number,
  size2: number,
  proof: Uint8Array[],
  root1: Uint8Array,
): Uint8Array;
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void;

export function toHex(bytes: Uint8Array): string;
export function fromHex(hex: string): Uint8Array;
export function toBase64(bytes: Uint8Array): string;
export function fromBase64(text: string): Uint8Array;
