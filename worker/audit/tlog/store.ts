import { CompactRange, HASH_SIZE, type NodeHash, rootAt } from "./merkle.mjs";
import { nodeHashFromEntries, TILE_HEIGHT, TILE_WIDTH } from "./tiles.mjs";

export type StoredCheckpoint = { size: number; root: Uint8Array; note: string; signedAt: number };
export type StoredKey = { name: string; pkcs8: Uint8Array; publicKey: Uint8Array };

// `hashes` keeps the tile-level entries: level 0 every leaf hash, level L ≥ 1 the root of each full
// run of 256^L leaves. That is all tiles are cut from and all a proof needs (any other node is the
// root of ≤ 128 entries), so the log never reads D1 again once a leaf is in.
// `published_size` is the checkpoint size whose tiles and note are known to be in R2 (-1: none).
const SCHEMA = `
CREATE TABLE IF NOT EXISTS log_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  tenant_id TEXT,
  tree_size INTEGER NOT NULL,
  compact_range BLOB NOT NULL,
  published_size INTEGER NOT NULL
);
INSERT OR IGNORE INTO log_state VALUES (1, NULL, 0, x'', -1);
CREATE TABLE IF NOT EXISTS hashes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  note TEXT NOT NULL,
  signed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS signing_key (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  private_pkcs8 BLOB NOT NULL,
  public_raw BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
`;

type StateRow = {
  tenant_id: string | null;
  tree_size: number;
  compact_range: ArrayBuffer;
  published_size: number;
};
type CheckpointRow = { size: number; root: ArrayBuffer; note: string; signed_at: number };

const bytes = (b: ArrayBuffer) => new Uint8Array(b);
/** SQLite binds ArrayBuffers; copying also detaches Node-style pooled Buffers from their pool. */
const blob = (b: Uint8Array): ArrayBuffer => new Uint8Array(b).buffer;

/** The AuditLog Durable Object's SQLite: leaf and tile hashes, checkpoints, the signing key. */
export class LogStore {
  readonly nodeHash: NodeHash;

  constructor(private readonly storage: DurableObjectStorage) {
    this.nodeHash = nodeHashFromEntries((level, start, count) => this.readEntries(level, start, count));
  }

  init(): void {
    this.storage.sql.exec(SCHEMA);
  }

  #state(): StateRow {
    return this.storage.sql.exec<StateRow>("SELECT * FROM log_state WHERE id = 1").one();
  }

  get tenantId(): string | null {
    return this.#state().tenant_id;
  }

  get treeSize(): number {
    return this.#state().tree_size;
  }

  get publishedSize(): number {
    return this.#state().published_size;
  }

  /** One object per tenant: the first caller names it, any other name is a bug. */
  bindTenant(tenantId: string): void {
    const bound = this.tenantId;
    if (bound === tenantId) return;
    if (bound !== null) throw new Error(`this audit log belongs to tenant ${bound}, not ${tenantId}`);
    this.storage.sql.exec("UPDATE log_state SET tenant_id = ? WHERE id = 1", tenantId);
  }

  compactRange(): CompactRange {
    const s = this.#state();
    const packed = bytes(s.compact_range);
    const hashes: Uint8Array[] = [];
    for (let i = 0; i < packed.length; i += HASH_SIZE) hashes.push(packed.slice(i, i + HASH_SIZE));
    return new CompactRange(s.tree_size, hashes);
  }

  /** Appends leaf hashes and the tile entries they complete, atomically. */
  appendLeaves(leaves: Uint8Array[]): void {
    this.storage.transactionSync(() => {
      const range = this.compactRange();
      for (const leaf of leaves) {
        range.append(leaf, (height, index, hash) => {
          if (height % TILE_HEIGHT !== 0) return;
          this.storage.sql.exec(
            "INSERT INTO hashes VALUES (?, ?, ?)",
            height / TILE_HEIGHT,
            index,
            blob(hash),
          );
        });
      }
      const packed = new Uint8Array(range.hashes.length * HASH_SIZE);
      for (const [i, h] of range.hashes.entries()) packed.set(h, i * HASH_SIZE);
      this.storage.sql.exec(
        "UPDATE log_state SET tree_size = ?, compact_range = ? WHERE id = 1",
        range.size,
        blob(packed),
      );
    });
  }

  root(size = this.treeSize): Uint8Array {
    return size === this.treeSize ? this.compactRange().root() : rootAt(size, this.nodeHash);
  }

  readEntries(level: number, start: number, count: number): Uint8Array {
    const rows = this.storage.sql
      .exec<{ hash: ArrayBuffer }>(
        "SELECT hash FROM hashes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx",
        level,
        start,
        start + count,
      )
      .toArray();
    if (rows.length !== count) throw new Error(`hashes ${level}/${start}+${count} missing (${rows.length})`);
    const out = new Uint8Array(count * HASH_SIZE);
    for (const [i, r] of rows.entries()) out.set(bytes(r.hash), i * HASH_SIZE);
    return out;
  }

  tileBytes(level: number, index: number, width: number): Uint8Array {
    return this.readEntries(level, index * TILE_WIDTH, width);
  }

  leafHash(index: number): Uint8Array {
    return this.readEntries(0, index, 1);
  }

  latest(): StoredCheckpoint | null {
    const row = this.storage.sql
      .exec<CheckpointRow>("SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1")
      .toArray()[0];
    return row ? { size: row.size, root: bytes(row.root), note: row.note, signedAt: row.signed_at } : null;
  }

  /** The checkpoint swap: from here on the new size is the log's committed state. */
  addCheckpoint(cp: StoredCheckpoint): void {
    const latest = this.latest();
    if (latest && cp.size <= latest.size)
      throw new Error(`checkpoint ${cp.size} does not advance ${latest.size}`);
    this.storage.sql.exec(
      "INSERT INTO checkpoints VALUES (?, ?, ?, ?)",
      cp.size,
      blob(cp.root),
      cp.note,
      cp.signedAt,
    );
  }

  setPublished(size: number): void {
    this.storage.sql.exec("UPDATE log_state SET published_size = ? WHERE id = 1", size);
  }

  signingKey(): StoredKey | null {
    const row = this.storage.sql
      .exec<{ name: string; private_pkcs8: ArrayBuffer; public_raw: ArrayBuffer }>(
        "SELECT name, private_pkcs8, public_raw FROM signing_key WHERE id = 1",
      )
      .toArray()[0];
    return row ? { name: row.name, pkcs8: bytes(row.private_pkcs8), publicKey: bytes(row.public_raw) } : null;
  }

  saveSigningKey(key: StoredKey): void {
    this.storage.sql.exec(
      "INSERT INTO signing_key VALUES (1, ?, ?, ?, ?)",
      key.name,
      blob(key.pkcs8),
      blob(key.publicKey),
      Date.now(),
    );
  }
}
