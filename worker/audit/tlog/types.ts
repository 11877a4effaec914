/** What the AuditLog Durable Object returns over RPC (and the proof routes serve as JSON). */

export type Checkpoint = {
  origin: string;
  size: number;
  /** Base64 RFC 6962 root, as in the note. */
  root_hash: string;
  /** The C2SP signed note, verbatim. */
  note: string;
  signed_at: string;
};

export type InclusionProof = {
  seq: number;
  leaf_index: number;
  tree_size: number;
  /** Hex, like an event's integrity.leaf_hash. */
  leaf_hash: string;
  /** Base64 root of the tree of tree_size leaves. */
  root_hash: string;
  /** Base64 sibling hashes, leaf first (RFC 9162 §2.1.3). */
  hashes: string[];
};

export type ConsistencyProof = {
  from_size: number;
  to_size: number;
  from_root: string;
  to_root: string;
  /** Base64 hashes (RFC 9162 §2.1.4). */
  hashes: string[];
};

export type PublicKeyInfo = {
  origin: string;
  key_name: string;
  /** Hex signed-note key ID. */
  key_id: string;
  /** Base64 raw 32-byte Ed25519 public key. */
  public_key: string;
  algorithm: "Ed25519";
  /** Signed-note verifier key: `<name>+<hex key id>+<base64(0x01 ‖ key)>`. */
  vkey: string;
};

/** Errors cross RPC as plain values, so the Worker can map them to 400/404 itself. */
export type ProofResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 404; message: string };

/** Checkpoint origin and key name of a tenant's log. */
export function originFor(tenantId: string): string {
  return `audittrail/${tenantId}`;
}
