// Loading a tiled tree for the verifier and deciding which of its hashes can be trusted. Tiles are
// untrusted input: the right-edge (partial) tiles must reproduce the signed root, and every full
// tile must hash to its entry in the tile above it, checked from the top down.
import { bytesEqual, HASH_SIZE, rootAt } from "./merkle.mjs";
import {
  EntryStore,
  entriesAt,
  levelCount,
  nodeHashFromEntries,
  perfectRoot,
  TILE_WIDTH,
  tilePath,
} from "./tiles.mjs";

const fullTiles = (level, size) => Math.floor(entriesAt(level, size) / TILE_WIDTH);

/** Runs fetchTile over paths with bounded concurrency, keeping order. */
async function fetchAll(paths, fetchTile, parallel) {
  const out = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      out[i] = await fetchTile(paths[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, paths.length) }, worker));
  return out;
}

/** A partial tile may be gone once its full tile exists (tlog-tiles); the full one's prefix serves. */
async function fetchTileOrFull(fetchTile, level, index, width) {
  const bytes = await fetchTile(tilePath(level, index, width));
  if (bytes || width === TILE_WIDTH) return bytes;
  return fetchTile(tilePath(level, index));
}

async function loadLevel(store, level, size, fetchTile, parallel, findings) {
  const entries = entriesAt(level, size);
  const tiles = [];
  for (let n = 0; n * TILE_WIDTH < entries; n++)
    tiles.push({ n, width: Math.min(TILE_WIDTH, entries - n * TILE_WIDTH) });
  const fetched = await fetchAll(tiles, (t) => fetchTileOrFull(fetchTile, level, t.n, t.width), parallel);
  const present = new Uint8Array(tiles.length);
  tiles.forEach((t, i) => {
    const want = t.width * HASH_SIZE;
    let bytes = fetched[i];
    if (!bytes || bytes.length < want || (t.width === TILE_WIDTH && bytes.length !== want)) {
      const what = bytes ? `has ${bytes.length} bytes, want ${want}` : "is missing";
      findings.push({ class: "tile", path: tilePath(level, t.n, t.width), message: `tile ${what}` });
      bytes = new Uint8Array(want);
    } else {
      present[i] = 1;
    }
    store.putMany(level, bytes.subarray(0, want));
  });
  return present;
}

/**
 * Fetches every tile of a tree of `size` leaves (`fetchTile(path)` → bytes or null) and checks
 * them against the checkpoint `root`. Returns the entries, which leaves are trusted, and findings.
 */
export async function loadTrustedTiles(size, root, fetchTile, parallel = 32) {
  const findings = [];
  const store = new EntryStore();
  const levels = levelCount(size);
  const present = [];
  for (let level = 0; level < levels; level++) {
    present.push(await loadLevel(store, level, size, fetchTile, parallel, findings));
  }
  const edgeComplete = present.every(
    (p, level) => fullTiles(level, size) === p.length || p[p.length - 1] === 1,
  );
  const edgeRoot = edgeComplete
    ? rootAt(
        size,
        nodeHashFromEntries((l, s, c) => store.read(l, s, c)),
      )
    : null;
  if (!bytesEqual(edgeRoot, root)) {
    if (edgeComplete) {
      const edge = present.map((p, level) =>
        tilePath(level, p.length - 1, entriesAt(level, size) % TILE_WIDTH || TILE_WIDTH),
      );
      findings.push({
        class: "tile",
        path: edge.join(" "),
        message: "the right-edge tiles do not hash to the checkpoint root: overwritten or from another tree",
      });
    }
    return { store: null, trustedLeaf: () => false, badLeafTiles: [], findings, unverifiable: 0 };
  }
  const { trusted, unverifiable } = checkFullTiles(store, size, present, findings);
  const entryTrusted = (level, index) => {
    const tile = Math.floor(index / TILE_WIDTH);
    return tile >= fullTiles(level, size) || trusted[level][tile] === 1;
  };
  // Bad leaf tiles under a good parent: the events themselves may still prove that range.
  const badLeafTiles = [];
  for (let n = 0; n < fullTiles(0, size); n++) {
    if (!trusted[0][n] && levels > 1 && entryTrusted(1, n))
      badLeafTiles.push({ n, parent: store.entry(1, n) });
  }
  return { store, trustedLeaf: (i) => entryTrusted(0, i), badLeafTiles, findings, unverifiable };
}

/** Top down: a full tile is trusted when its parent entry is and it hashes to that entry. */
function checkFullTiles(store, size, present, findings) {
  const levels = present.length;
  const trusted = Array.from({ length: levels }, (_, level) => new Uint8Array(fullTiles(level, size)));
  let unverifiable = 0;
  for (let level = levels - 2; level >= 0; level--) {
    const parentFull = fullTiles(level + 1, size);
    for (let n = 0; n < trusted[level].length; n++) {
      if (!present[level][n]) continue;
      const parentTile = Math.floor(n / TILE_WIDTH);
      if (parentTile < parentFull && trusted[level + 1][parentTile] !== 1) {
        unverifiable++;
        continue;
      }
      if (bytesEqual(perfectRoot(store.tile(level, n), TILE_WIDTH), store.entry(level + 1, n))) {
        trusted[level][n] = 1;
      } else {
        findings.push({
          class: "tile",
          path: tilePath(level, n),
          message: `does not hash to entry ${n % TILE_WIDTH} of ${tilePath(level + 1, parentTile)}: overwritten or corrupted`,
        });
      }
    }
  }
  return { trusted, unverifiable };
}
