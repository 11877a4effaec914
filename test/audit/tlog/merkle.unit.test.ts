import { describe, expect, it } from "vitest";
import {
  CompactRange,
  consistencyProof,
  emptyRoot,
  fromHex,
  hashChildren,
  hashLeaf,
  inclusionProof,
  rootAt,
  splitPoint,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../../worker/audit/tlog/merkle.mjs";
import { EntryStore, entriesFromLeaves, nodeHashFromEntries } from "../../../worker/audit/tlog/tiles.mjs";

// RFC 6962 known answers, as published in transparency-dev/merkle proof/verify_test.go.
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
];
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];
const CONSISTENCY = [
  {
    size1: 1,
    size2: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];
const SOME_HASH = fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");

const hexes = (hs: Uint8Array[]) => hs.map(toHex);

/** A tree over arbitrary leaf hashes, proofs served from tile-level entries like the log's. */
function treeOf(leafHashes: Uint8Array[]) {
  const packed = new Uint8Array(leafHashes.length * 32);
  leafHashes.forEach((h, i) => {
    packed.set(h, i * 32);
  });
  const { store, root } = entriesFromLeaves(packed, leafHashes.length);
  return { store, root, nodeHash: nodeHashFromEntries((l, s, c) => store.read(l, s, c)) };
}

const kat = treeOf(LEAVES.map((l) => hashLeaf(fromHex(l))));
const syntheticLeaves = (n: number) =>
  Array.from({ length: n }, (_, i) => hashLeaf(new TextEncoder().encode(`leaf ${i}`)));

/** RFC 6962 §2.1 MTH, straight from the definition. */
function naiveRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return hashChildren(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

type Inclusion = { index: number; size: number; leaf: Uint8Array; proof: Uint8Array[]; root: Uint8Array };
type Consistency = {
  size1: number;
  size2: number;
  proof: Uint8Array[];
  root1: Uint8Array;
  root2: Uint8Array;
};

const flip = (proof: Uint8Array[], i: number, bit: number) =>
  proof.map((h, j) => (j === i ? Uint8Array.from(h, (b, k) => (k === 0 ? b ^ bit : b)) : h));

/** transparency-dev's corruptInclusionProof probes: each must be rejected. */
function inclusionProbes(p: Inclusion): [string, () => void][] {
  const v = (index: number, size: number, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array) => () =>
    verifyInclusion(index, size, leaf, proof, root);
  const probes: [string, () => void][] = [
    ["index - 1", v(p.index - 1, p.size, p.leaf, p.proof, p.root)],
    ["index + 1", v(p.index + 1, p.size, p.leaf, p.proof, p.root)],
    ["index ^ 2", v(p.index ^ 2, p.size, p.leaf, p.proof, p.root)],
    ["size * 2", v(p.index, p.size * 2, p.leaf, p.proof, p.root)],
    ["size / 2", v(p.index, Math.floor(p.size / 2), p.leaf, p.proof, p.root)],
    ["wrong leaf", v(p.index, p.size, SOME_HASH, p.proof, p.root)],
    ["empty root", v(p.index, p.size, p.leaf, p.proof, emptyRoot())],
    ["random root", v(p.index, p.size, p.leaf, p.proof, SOME_HASH)],
    ["trailing garbage", v(p.index, p.size, p.leaf, [...p.proof, new Uint8Array(0)], p.root)],
    ["trailing root", v(p.index, p.size, p.leaf, [...p.proof, p.root], p.root)],
    ["preceding garbage", v(p.index, p.size, p.leaf, [new Uint8Array(0), ...p.proof], p.root)],
    ["preceding root", v(p.index, p.size, p.leaf, [p.root, ...p.proof], p.root)],
  ];
  p.proof.forEach((_, i) => {
    probes.push([`flip proof[${i}]`, v(p.index, p.size, p.leaf, flip(p.proof, i, 8), p.root)]);
  });
  if (p.proof.length > 0)
    probes.push(["removed component", v(p.index, p.size, p.leaf, p.proof.slice(0, -1), p.root)]);
  if (p.proof.length > 1) {
    const inserted = [p.proof[0], SOME_HASH, ...p.proof.slice(1)];
    probes.push(["inserted component", v(p.index, p.size, p.leaf, inserted, p.root)]);
  }
  return probes;
}

/** transparency-dev's corruptConsistencyProof probes plus the RFC's degenerate cases. */
function consistencyProbes(p: Consistency): [string, () => void][] {
  const v = (s1: number, s2: number, proof: Uint8Array[], r1: Uint8Array, r2: Uint8Array) => () =>
    verifyConsistency(s1, s2, proof, r1, r2);
  const probes: [string, () => void][] = [
    ["size1 - 1", v(p.size1 - 1, p.size2, p.proof, p.root1, p.root2)],
    ["size1 + 1", v(p.size1 + 1, p.size2, p.proof, p.root1, p.root2)],
    ["size1 ^ 2", v(p.size1 ^ 2, p.size2, p.proof, p.root1, p.root2)],
    ["size1 = 0", v(0, p.size2, p.proof, p.root1, p.root2)],
    ["size2 * 2", v(p.size1, p.size2 * 2, p.proof, p.root1, p.root2)],
    ["size2 / 2", v(p.size1, Math.floor(p.size2 / 2), p.proof, p.root1, p.root2)],
    ["wrong root1", v(p.size1, p.size2, p.proof, SOME_HASH, p.root2)],
    ["wrong root2", v(p.size1, p.size2, p.proof, p.root1, SOME_HASH)],
    ["swapped roots", v(p.size1, p.size2, p.proof, p.root2, p.root1)],
    ["empty proof", v(p.size1, p.size2, [], p.root1, p.root2)],
    ["non-empty proof for equal sizes", v(p.size2, p.size2, p.proof, p.root2, p.root2)],
    ["trailing garbage", v(p.size1, p.size2, [...p.proof, new Uint8Array(0)], p.root1, p.root2)],
    ["trailing root1", v(p.size1, p.size2, [...p.proof, p.root1], p.root1, p.root2)],
    ["trailing root2", v(p.size1, p.size2, [...p.proof, p.root2], p.root1, p.root2)],
    ["preceding garbage", v(p.size1, p.size2, [new Uint8Array(0), ...p.proof], p.root1, p.root2)],
    ["preceding root1", v(p.size1, p.size2, [p.root1, ...p.proof], p.root1, p.root2)],
    ["preceding root2", v(p.size1, p.size2, [p.root2, ...p.proof], p.root1, p.root2)],
    ["preceding proof[0]", v(p.size1, p.size2, [p.proof[0], ...p.proof], p.root1, p.root2)],
    ["truncated proof", v(p.size1, p.size2, p.proof.slice(0, -1), p.root1, p.root2)],
  ];
  p.proof.forEach((_, i) => {
    probes.push([`flip proof[${i}]`, v(p.size1, p.size2, flip(p.proof, i, 16), p.root1, p.root2)]);
  });
  return probes;
}

function expectAllRejected(probes: [string, () => void][]) {
  const accepted = probes.filter(([, run]) => {
    try {
      run();
      return true;
    } catch {
      return false;
    }
  });
  expect(accepted.map(([name]) => name)).toEqual([]);
}

describe("RFC 6962 hashing", () => {
  it("reproduces the known roots of 1 to 8 leaves, incrementally and from stored entries", () => {
    const range = new CompactRange();
    LEAVES.forEach((l, i) => {
      range.append(hashLeaf(fromHex(l)));
      expect(toHex(range.root()), `size ${i + 1}`).toBe(ROOTS[i]);
      expect(toHex(rootAt(i + 1, kat.nodeHash))).toBe(ROOTS[i]);
    });
  });

  it("gives the empty tree the hash of nothing", () => {
    expect(toHex(new CompactRange().root())).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(toHex(rootAt(0, kat.nodeHash))).toBe(toHex(emptyRoot()));
  });

  it("agrees with the recursive definition for every size up to 300", () => {
    const leaves = syntheticLeaves(300);
    const range = new CompactRange();
    for (let n = 1; n <= 300; n++) {
      range.append(leaves[n - 1]);
      expect(toHex(range.root())).toBe(toHex(naiveRoot(leaves.slice(0, n))));
    }
  });

  it("resumes from a saved compact range", () => {
    const leaves = syntheticLeaves(77);
    const a = new CompactRange();
    for (const l of leaves.slice(0, 50)) a.append(l);
    const b = new CompactRange(a.size, a.hashes);
    for (const l of leaves.slice(50)) b.append(l);
    expect(toHex(b.root())).toBe(toHex(naiveRoot(leaves)));
    expect(() => new CompactRange(5, a.hashes)).toThrow();
  });
});

describe("inclusion proofs", () => {
  it("match the known vectors, verify, and fail every corruption", () => {
    for (const t of INCLUSION) {
      const proof = inclusionProof(t.index, t.size, kat.nodeHash);
      expect(hexes(proof)).toEqual(t.proof);
      const p = { ...t, proof, leaf: hashLeaf(fromHex(LEAVES[t.index])), root: fromHex(ROOTS[t.size - 1]) };
      verifyInclusion(p.index, p.size, p.leaf, p.proof, p.root);
      expectAllRejected(inclusionProbes(p));
    }
  });

  it("rejects an index outside the tree and a single leaf with a wrong hash", () => {
    const leaf = hashLeaf(fromHex("00"));
    expect(() => verifyInclusion(0, 0, leaf, [], leaf)).toThrow(/beyond/);
    expect(() => verifyInclusion(2, 1, leaf, [], leaf)).toThrow(/beyond/);
    expect(() => verifyInclusion(0, 1, SOME_HASH, [], leaf)).toThrow();
    expect(() => verifyInclusion(0, 1, new Uint8Array(0), [], new Uint8Array(0))).toThrow();
    verifyInclusion(0, 1, leaf, [], leaf);
  });

  it("round-trips for every leaf of every size from 1 to 70", () => {
    const leaves = syntheticLeaves(70);
    const tree = treeOf(leaves);
    for (let size = 1; size <= 70; size++) {
      const root = rootAt(size, tree.nodeHash);
      for (let index = 0; index < size; index++) {
        verifyInclusion(index, size, leaves[index], inclusionProof(index, size, tree.nodeHash), root);
      }
    }
  });

  it("fails every corruption for each leaf of trees of 1 to 20 leaves", () => {
    const leaves = syntheticLeaves(20);
    const tree = treeOf(leaves);
    for (let size = 1; size <= 20; size++) {
      const root = rootAt(size, tree.nodeHash);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, size, tree.nodeHash);
        expectAllRejected(inclusionProbes({ index, size, leaf: leaves[index], proof, root }));
      }
    }
  });

  it("works across tile levels (trees of 256^2 + 300 leaves)", () => {
    const n = 65_536 + 300;
    const leaves = syntheticLeaves(n);
    const tree = treeOf(leaves);
    expect(tree.store.count(2)).toBe(1);
    for (const index of [0, 255, 256, 65_535, 65_536, 65_600, n - 1]) {
      for (const size of [index + 1, 65_536, n]) {
        if (index >= size) continue;
        const proof = inclusionProof(index, size, tree.nodeHash);
        verifyInclusion(index, size, leaves[index], proof, rootAt(size, tree.nodeHash));
      }
    }
    expect(toHex(rootAt(n, tree.nodeHash))).toBe(toHex(tree.root));
  });
});

describe("consistency proofs", () => {
  it("match the known vectors, verify, and fail every corruption", () => {
    for (const t of CONSISTENCY) {
      const proof = consistencyProof(t.size1, t.size2, kat.nodeHash);
      expect(hexes(proof)).toEqual(t.proof);
      const p = { ...t, proof, root1: fromHex(ROOTS[t.size1 - 1]), root2: fromHex(ROOTS[t.size2 - 1]) };
      verifyConsistency(p.size1, p.size2, p.proof, p.root1, p.root2);
      expectAllRejected(consistencyProbes(p));
    }
  });

  it("accepts equal sizes only with an empty proof and equal roots, and never from size 0", () => {
    const root = fromHex(ROOTS[0]);
    verifyConsistency(1, 1, [], root, root);
    expect(() => verifyConsistency(1, 1, [], root, SOME_HASH)).toThrow();
    expect(() => verifyConsistency(1, 1, [root], root, root)).toThrow(/empty proof/);
    expect(() => verifyConsistency(0, 0, [], emptyRoot(), emptyRoot())).toThrow(/meaningless/);
    expect(() => verifyConsistency(0, 1, [], emptyRoot(), root)).toThrow(/meaningless/);
    expect(() => verifyConsistency(2, 1, [], root, root)).toThrow(/< size1/);
    expect(() => verifyConsistency(1, 2, [], root, root)).toThrow(/empty/);
  });

  it("round-trips for every pair of sizes 1 ≤ m ≤ n ≤ 70", () => {
    const tree = treeOf(syntheticLeaves(70));
    const roots = Array.from({ length: 71 }, (_, n) => rootAt(n, tree.nodeHash));
    for (let n = 1; n <= 70; n++) {
      for (let m = 1; m <= n; m++) {
        verifyConsistency(m, n, consistencyProof(m, n, tree.nodeHash), roots[m], roots[n]);
      }
    }
  });

  it("fails every corruption for every pair of sizes up to 20", () => {
    const tree = treeOf(syntheticLeaves(20));
    for (let n = 2; n <= 20; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(m, n, tree.nodeHash);
        const p = {
          size1: m,
          size2: n,
          proof,
          root1: rootAt(m, tree.nodeHash),
          root2: rootAt(n, tree.nodeHash),
        };
        expectAllRejected(consistencyProbes(p));
      }
    }
  });

  it("rejects a proof between two different trees of the same sizes", () => {
    const a = treeOf(syntheticLeaves(30));
    const forked = syntheticLeaves(30);
    forked[3] = SOME_HASH;
    const b = treeOf(forked);
    const proof = consistencyProof(10, 30, b.nodeHash);
    expect(() => verifyConsistency(10, 30, proof, rootAt(10, a.nodeHash), rootAt(30, b.nodeHash))).toThrow();
  });
});

describe("entry store", () => {
  it("refuses reads past what it holds", () => {
    const store = new EntryStore();
    store.put(0, 0, SOME_HASH);
    expect(() => store.read(0, 0, 2)).toThrow();
    expect(() => store.put(0, 5, SOME_HASH)).toThrow(/out of order/);
  });
});
