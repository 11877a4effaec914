/**
 * Checking an audit event in the browser, trusting nothing but WebCrypto and the log's checkpoint:
 * the event's leaf hash is recomputed from its own content, then folded up the inclusion proof
 * (RFC 6962 / RFC 9162 §2.1.3.2) into a root that must equal the checkpoint's root hash.
 */
import canonicalize from "canonicalize";
import type { AuditEvent } from "../../api/audit";

const encoder = new TextEncoder();

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** Hex or base64 (standard or URL-safe), as logs publish hashes either way. */
export function hashBytes(text: string): Uint8Array {
  if (/^[0-9a-f]{64}$/i.test(text)) {
    return Uint8Array.from(text.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
  }
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, "="));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const input = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    input.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", input));
}

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/** SHA-256(0x00 ‖ RFC 8785 canonical JSON of the event without `seq` and `integrity`). */
export async function leafHashOf(event: AuditEvent): Promise<Uint8Array> {
  const { seq: _seq, integrity: _integrity, ...body } = event;
  const canonical = canonicalize(body);
  if (canonical === undefined) throw new Error("The event has no JSON form");
  return sha256(LEAF, encoder.encode(canonical));
}

/**
 * The root an inclusion proof leads to, or null when the proof's shape cannot fit the tree
 * (too long, too short, or an index outside it). `index` is 0-based.
 */
export async function rootFromInclusionProof(
  index: number,
  treeSize: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
): Promise<Uint8Array | null> {
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(NODE, p, r);
      // A right-edge node with no sibling at this level moves up until it has one.
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(NODE, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** A C2SP checkpoint note's signed text and its parsed body (origin, size, root). */
export function parseCheckpointNote(note: string) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) return null;
  const text = note.slice(0, split + 1);
  const [origin, size, root] = text.split("\n");
  const signatures = note
    .slice(split + 2, -1)
    .split("\n")
    .flatMap((line) => {
      const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
      return m?.[1] && m[2] ? [{ name: m[1], blob: hashBytes(m[2]) }] : [];
    });
  if (!origin || !size || !/^\d+$/.test(size) || !root) return null;
  return { text, origin, size: Number(size), root, signatures };
}

/**
 * Whether the note carries a valid Ed25519 signature by the named key (signature = key ID[4] ‖
 * sig[64]). `null` when this browser's WebCrypto has no Ed25519.
 */
export async function noteSignedBy(
  note: NonNullable<ReturnType<typeof parseCheckpointNote>>,
  key: { name: string; keyIdHex: string; publicKey: Uint8Array },
): Promise<boolean | null> {
  const ours = note.signatures.filter(
    (s) => s.name === key.name && toHex(s.blob.subarray(0, 4)) === key.keyIdHex.toLowerCase(),
  );
  if (ours.length === 0) return false;
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await crypto.subtle.importKey(
      "raw",
      new Uint8Array(key.publicKey),
      { name: "Ed25519" },
      false,
      ["verify"],
    );
  } catch {
    return null;
  }
  const data = encoder.encode(note.text);
  for (const s of ours) {
    if (!(await crypto.subtle.verify({ name: "Ed25519" }, cryptoKey, s.blob.slice(4), data))) return false;
  }
  return true;
}
