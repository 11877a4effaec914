// C2SP tlog-tiles layout (c2sp.org/tlog-tiles): tile paths, which tiles a tree size has, and the
// per-level hash "entries" tiles are cut from. A tile at level L holds up to 256 consecutive hashes
// of perfect subtrees of 256^L leaves; level 0 holds the leaf hashes.
import { CompactRange, HASH_SIZE, hashChildren } from "./merkle.mjs";

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

/** Tile index as zero-padded 3-digit path elements, all but the last prefixed with x. */
export function tileIndexPath(index) {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`bad tile index ${index}`);
  const groups = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, "0"));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

/** `tile/<L>/<N>[.p/<W>]`; width 256 is a full tile. */
export function tilePath(level, index, width = TILE_WIDTH) {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    throw new RangeError(`bad tile width ${width}`);
  const partial = width < TILE_WIDTH ? `.p/${width}` : "";
  return `tile/${level}/${tileIndexPath(index)}${partial}`;
}

/** Hashes at `level` in a tree of `size` leaves (each covers 256^level leaves). */
export function entriesAt(level, size) {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** Levels that hold at least one hash for this size. */
export function levelCount(size) {
  let levels = 0;
  while (entriesAt(levels, size) > 0) levels++;
  return levels;
}

/** Tiles whose contents differ between sizes `from` and `to` (all of them when from = 0). */
export function tilesBetween(from, to) {
  const tiles = [];
  for (let level = 0; level < levelCount(to); level++) {
    const e0 = entriesAt(level, from);
    const e1 = entriesAt(level, to);
    if (e1 <= e0) continue;
    for (let n = Math.floor(e0 / TILE_WIDTH); n * TILE_WIDTH < e1; n++) {
      tiles.push({ level, index: n, width: Math.min(TILE_WIDTH, e1 - n * TILE_WIDTH) });
    }
  }
  return tiles;
}

/** Every tile a tree of `size` leaves is published as. */
export function tilesForSize(size) {
  return tilesBetween(0, size);
}

/** Root of a power-of-two run of hashes packed in `entries`. */
export function perfectRoot(entries, count) {
  const level = [];
  for (let i = 0; i < count; i++) level.push(entries.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  let row = level;
  while (row.length > 1) {
    const next = [];
    for (let i = 0; i < row.length; i += 2) next.push(hashChildren(row[i], row[i + 1]));
    row = next;
  }
  return row[0];
}

/**
 * A NodeHash over stored tile-level entries: a subtree of height h is the perfect root of
 * 2^(h mod 8) consecutive entries at level ⌊h/8⌋, so at most 128 hashes per node are recomputed.
 * `readEntries(level, start, count)` returns count×32 bytes or throws.
 */
export function nodeHashFromEntries(readEntries) {
  return (height, index) => {
    const level = Math.floor(height / TILE_HEIGHT);
    const count = 2 ** (height % TILE_HEIGHT);
    return perfectRoot(readEntries(level, index * count, count), count);
  };
}

/** Growable in-memory per-level entries: the verifier's (and tests') view of a tiled tree. */
export class EntryStore {
  #levels = [];

  count(level) {
    return this.#levels[level]?.count ?? 0;
  }

  /** Appends hash `index` at `level`; indexes must arrive in order. */
  put(level, index, hash) {
    const l = this.#level(level);
    if (index !== l.count) throw new RangeError(`entry ${level}/${index} out of order (have ${l.count})`);
    if (l.bytes.length < (l.count + 1) * HASH_SIZE) {
      const grown = new Uint8Array(Math.max(1024, l.bytes.length * 2));
      grown.set(l.bytes);
      l.bytes = grown;
    }
    l.bytes.set(hash, l.count * HASH_SIZE);
    l.count++;
  }

  /** Appends a tile's worth of hashes (width×32 bytes) at `level`. */
  putMany(level, bytes) {
    for (let i = 0; i < bytes.length; i += HASH_SIZE) {
      this.put(level, this.count(level), bytes.subarray(i, i + HASH_SIZE));
    }
  }

  read(level, start, count) {
    const l = this.#levels[level];
    if (!l || start + count > l.count)
      throw new RangeError(`entries ${level}/${start}+${count} not available`);
    return l.bytes.subarray(start * HASH_SIZE, (start + count) * HASH_SIZE);
  }

  entry(level, index) {
    return this.read(level, index, 1);
  }

  tile(level, index, width = TILE_WIDTH) {
    return this.read(level, index * TILE_WIDTH, width);
  }

  #level(level) {
    for (let l = this.#levels.length; l <= level; l++)
      this.#levels.push({ bytes: new Uint8Array(0), count: 0 });
    return this.#levels[level];
  }
}

/**
 * Builds the tile entries of a tree from its leaf hashes (count×32 bytes) and returns them with
 * the root, in one pass: the compact range reports every finished subtree, and the ones at heights
 * that are multiples of 8 are exactly the higher-level tile entries.
 */
export function entriesFromLeaves(leaves, count) {
  const store = new EntryStore();
  const range = new CompactRange();
  const keep = (height, index, hash) => {
    if (height % TILE_HEIGHT === 0) store.put(height / TILE_HEIGHT, index, hash);
  };
  for (let i = 0; i < count; i++) range.append(leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE), keep);
  return { store, root: range.root() };
}
