// C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures, and the checkpoint body they
// carry (c2sp.org/tlog-checkpoint). Shared by the Worker, which signs, and the offline verifier.
import { bytesEqual, fromBase64, HASH_SIZE, sha256, toBase64, toHex } from "./merkle.mjs";

const encoder = new TextEncoder();
const ED25519 = 0x01;
const MAX_NOTE_CHARS = 1_000_000;
const MAX_SIGNATURES = 100;

/** Why a note or key was refused; `code` is stable for programs, the message for people. */
export class NoteError extends Error {
  name = "NoteError";
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function checkKeyName(name) {
  if (typeof name !== "string" || name === "" || /[\s+]/u.test(name)) {
    throw new NoteError(
      "malformed",
      `key name ${JSON.stringify(name)} must be non-empty, without spaces or +`,
    );
  }
}

/** SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], the signed-note key ID for an Ed25519 key. */
export function keyId(name, publicKey) {
  const n = encoder.encode(name);
  const input = new Uint8Array(n.length + 2 + publicKey.length);
  input.set(n);
  input[n.length] = 0x0a;
  input[n.length + 1] = ED25519;
  input.set(publicKey, n.length + 2);
  return sha256(input).subarray(0, 4);
}

/** The verifier key string `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. */
export function formatVkey(name, publicKey) {
  checkKeyName(name);
  const typed = new Uint8Array(1 + publicKey.length);
  typed[0] = ED25519;
  typed.set(publicKey, 1);
  return `${name}+${toHex(keyId(name, publicKey))}+${toBase64(typed)}`;
}

/** A trusted key from a vkey string; the key ID in it must match the key. */
export function parseVkey(vkey) {
  const text = String(vkey).trim();
  const first = text.indexOf("+");
  const second = text.indexOf("+", first + 1);
  if (first < 0 || second < 0) throw new NoteError("malformed", "a verifier key reads <name>+<key id>+<key>");
  const name = text.slice(0, first);
  checkKeyName(name);
  const idHex = text.slice(first + 1, second);
  let typed;
  try {
    typed = fromBase64(text.slice(second + 1));
  } catch {
    throw new NoteError("malformed", "the verifier key's key part is not base64");
  }
  if (typed.length !== 33 || typed[0] !== ED25519) {
    throw new NoteError("malformed", "only Ed25519 verifier keys (type 0x01, 32 bytes) are supported");
  }
  return trustedKey(name, typed.subarray(1), idHex);
}

/** A trusted key from its name and raw 32-byte Ed25519 public key. */
export function trustedKey(name, publicKey, expectedIdHex) {
  checkKeyName(name);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new NoteError("malformed", "an Ed25519 public key is 32 bytes");
  }
  const id = keyId(name, publicKey);
  if (expectedIdHex !== undefined && toHex(id) !== expectedIdHex.toLowerCase()) {
    throw new NoteError("malformed", `key ID ${expectedIdHex} does not match the key (${toHex(id)})`);
  }
  return { name, keyId: id, publicKey: publicKey.slice() };
}

/** Checkpoint body: origin, decimal size and base64 root, each ending in a newline. */
export function checkpointText(origin, size, root) {
  if (!origin || origin.includes("\n")) throw new NoteError("malformed", "bad origin");
  if (!Number.isSafeInteger(size) || size < 0) throw new NoteError("malformed", "bad tree size");
  if (root.length !== HASH_SIZE) throw new NoteError("malformed", "bad root hash");
  return `${origin}\n${size}\n${toBase64(root)}\n`;
}

export function parseCheckpointText(text) {
  const lines = text.split("\n");
  if (lines.pop() !== "" || lines.length < 3 || lines.some((l) => l === "")) {
    throw new NoteError("malformed", "a checkpoint is origin, size and root hash, one per line");
  }
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    throw new NoteError("malformed", `checkpoint size ${JSON.stringify(sizeLine)} is not a decimal number`);
  }
  let root;
  try {
    root = fromBase64(rootLine);
  } catch {
    root = null;
  }
  if (root?.length !== HASH_SIZE) throw new NoteError("malformed", "checkpoint root is not a base64 SHA-256");
  return { origin, size: Number(sizeLine), root, extensions };
}

/** One signature line: `— <name> base64(key ID ‖ signature)`. */
export function signatureLine(name, id, signature) {
  checkKeyName(name);
  const blob = new Uint8Array(id.length + signature.length);
  blob.set(id);
  blob.set(signature, id.length);
  return `\u2014 ${name} ${toBase64(blob)}\n`;
}

/** A signed note from its text (ending in a newline) and signature lines. */
export function assembleNote(text, signatureLines) {
  return `${text}\n${signatureLines.join("")}`;
}

/** Splits a note into its text and signatures without verifying anything. */
export function parseNote(note) {
  if (typeof note !== "string" || note.length > MAX_NOTE_CHARS)
    throw new NoteError("malformed", "note too large");
  if (hasControlCharacter(note)) throw new NoteError("malformed", "note contains control characters");
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) throw new NoteError("malformed", "note has no signature block");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw new NoteError("malformed", "too many signatures");
  const signatures = lines.map(parseSignatureLine);
  return { text, signatures };
}

function hasControlCharacter(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

function parseSignatureLine(line) {
  const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
  if (!match)
    throw new NoteError("malformed", `malformed signature line ${JSON.stringify(line.slice(0, 80))}`);
  checkKeyName(match[1]);
  let blob;
  try {
    blob = fromBase64(match[2]);
  } catch {
    throw new NoteError("malformed", "signature is not base64");
  }
  if (blob.length < 5) throw new NoteError("malformed", "signature too short");
  return { name: match[1], keyId: blob.subarray(0, 4), signature: blob.subarray(4) };
}

async function ed25519Verify(publicKey, signature, data) {
  const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature, data);
}

/**
 * Returns the note text if a signature by `key` verifies. Signatures by other keys are ignored (a
 * key is name AND ID); a failing signature by the trusted key rejects the whole note.
 */
export async function verifyNote(note, key) {
  const { text, signatures } = parseNote(note);
  const ours = signatures.filter((s) => s.name === key.name && bytesEqual(s.keyId, key.keyId));
  if (ours.length === 0) {
    const others = signatures.map((s) => `${s.name} (${toHex(s.keyId)})`).join(", ");
    throw new NoteError("unknown_key", `not signed by the trusted key ${key.name}; signed by: ${others}`);
  }
  for (const s of ours) {
    if (!(await ed25519Verify(key.publicKey, s.signature, encoder.encode(text)))) {
      throw new NoteError("bad_signature", `the signature by ${key.name} does not verify: forged or altered`);
    }
  }
  return text;
}

/** Verifies a checkpoint note and parses its body; the origin must be the expected one. */
export async function openCheckpoint(note, key, expectedOrigin = key.name) {
  const text = await verifyNote(note, key);
  const checkpoint = parseCheckpointText(text);
  if (checkpoint.origin !== expectedOrigin) {
    throw new NoteError(
      "wrong_origin",
      `checkpoint is for ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(expectedOrigin)}`,
    );
  }
  return { ...checkpoint, note };
}
