import { describe, expect, it } from "vitest";
import { fromBase64, hashLeaf, toHex } from "../../../worker/audit/tlog/merkle.mjs";
import {
  assembleNote,
  formatVkey,
  NoteError,
  openCheckpoint,
  parseCheckpointText,
  parseVkey,
  signatureLine,
  verifyNote,
} from "../../../worker/audit/tlog/note.mjs";
import { generateKey, importKey, signCheckpoint } from "../../../worker/audit/tlog/signer";
import { parseTrustedKey } from "../../../worker/audit/tlog/verify.mjs";

// golang.org/x/mod/sumdb/note's example key and note (Ed25519 is deterministic, so signing the
// same text with the same seed must give the same bytes).
const GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_SEED = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"; // 0x01 ‖ 32-byte seed, from its PRIVATE+KEY
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const PKCS8_ED25519_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "accepted";
  } catch (err) {
    return err instanceof NoteError ? err.code : `unexpected: ${err}`;
  }
}

async function freshKey(name: string) {
  return importKey(await generateKey(name));
}

describe("signed notes", () => {
  it("parses the Go verifier key and computes the same key ID", () => {
    const key = parseVkey(GO_VKEY);
    expect(key.name).toBe("PeterNeumann");
    expect(toHex(key.keyId)).toBe("c74f20a3");
    expect(formatVkey(key.name, key.publicKey)).toBe(GO_VKEY);
  });

  it("verifies the Go example note and reproduces its signature byte for byte", async () => {
    const key = parseVkey(GO_VKEY);
    expect(await verifyNote(GO_NOTE, key)).toBe(GO_TEXT);
    const seed = fromBase64(GO_SEED).subarray(1);
    const pkcs8 = Uint8Array.from([...PKCS8_ED25519_PREFIX, ...seed]);
    const signer = await importKey({ name: key.name, pkcs8, publicKey: key.publicKey });
    const sig = await crypto.subtle.sign("Ed25519", signer.privateKey, new TextEncoder().encode(GO_TEXT));
    expect(assembleNote(GO_TEXT, [signatureLine(key.name, key.keyId, new Uint8Array(sig))])).toBe(GO_NOTE);
  });

  it("rejects an altered text as a bad signature", async () => {
    const key = parseVkey(GO_VKEY);
    expect(await codeOf(verifyNote(GO_NOTE.replace("cryptography", "cryptographY"), key))).toBe(
      "bad_signature",
    );
  });

  it("ignores signatures by unknown keys but needs one by the trusted key", async () => {
    const trusted = parseVkey(GO_VKEY);
    const stranger = await freshKey("stranger.example/log");
    const strangerSig = await crypto.subtle.sign(
      "Ed25519",
      stranger.privateKey,
      new TextEncoder().encode(GO_TEXT),
    );
    const line = signatureLine(stranger.name, stranger.keyId, new Uint8Array(strangerSig));
    expect(await verifyNote(`${GO_NOTE}${line}`, trusted)).toBe(GO_TEXT);
    expect(await codeOf(verifyNote(assembleNote(GO_TEXT, [line]), trusted))).toBe("unknown_key");
  });

  it("treats a key with the trusted name but another ID as unknown", async () => {
    const trusted = parseVkey(GO_VKEY);
    const impostor = await freshKey("PeterNeumann");
    const sig = await crypto.subtle.sign("Ed25519", impostor.privateKey, new TextEncoder().encode(GO_TEXT));
    const note = assembleNote(GO_TEXT, [signatureLine("PeterNeumann", impostor.keyId, new Uint8Array(sig))]);
    expect(await codeOf(verifyNote(note, trusted))).toBe("unknown_key");
  });

  it("rejects a forged signature carrying the trusted name and key ID", async () => {
    const trusted = parseVkey(GO_VKEY);
    const forger = await freshKey("forger");
    const sig = await crypto.subtle.sign("Ed25519", forger.privateKey, new TextEncoder().encode(GO_TEXT));
    const note = assembleNote(GO_TEXT, [signatureLine(trusted.name, trusted.keyId, new Uint8Array(sig))]);
    expect(await codeOf(verifyNote(note, trusted))).toBe("bad_signature");
  });

  it("refuses malformed notes", async () => {
    const key = parseVkey(GO_VKEY);
    for (const bad of [
      GO_TEXT, // no signatures
      GO_NOTE.replace("\n\n", "\n"),
      GO_NOTE.replace("— ", "- "),
      GO_NOTE.replace("x08go", "x08g"),
      GO_NOTE.replace("If", "If\u0007"),
      GO_NOTE.slice(0, -1),
    ]) {
      expect(await codeOf(verifyNote(bad, key)), JSON.stringify(bad.slice(-40))).toBe("malformed");
    }
  });

  it("refuses malformed verifier keys and a key ID that does not match the key", () => {
    expect(() => parseVkey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).toThrow(
      /does not match/,
    );
    expect(() => parseVkey("PeterNeumann+c74f20a3+AhpcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWAA=")).toThrow();
    expect(() => parseVkey("no-plus-signs")).toThrow();
  });
});

describe("checkpoints", () => {
  const root = hashLeaf(new Uint8Array([1, 2, 3]));

  it("signs origin, size and root and opens only for the right key and origin", async () => {
    const key = await freshKey("audittrail/t-1");
    const note = await signCheckpoint(key, "audittrail/t-1", 42, root);
    expect(note.split("\n").slice(0, 4)).toEqual([
      "audittrail/t-1",
      "42",
      btoa(String.fromCharCode(...root)),
      "",
    ]);
    const opened = await openCheckpoint(note, key);
    expect(opened.size).toBe(42);
    expect(toHex(opened.root)).toBe(toHex(root));
    expect(await codeOf(openCheckpoint(note, key, "audittrail/t-2"))).toBe("wrong_origin");
    expect(await codeOf(openCheckpoint(note, await freshKey("audittrail/t-1")))).toBe("unknown_key");
  });

  it("accepts the key as a vkey, as raw base64 or hex, or as the public-key JSON", async () => {
    const key = await freshKey("audittrail/t-9");
    const note = await signCheckpoint(key, "audittrail/t-9", 1, root);
    const vkey = formatVkey(key.name, key.publicKey);
    const b64 = btoa(String.fromCharCode(...key.publicKey));
    for (const text of [
      vkey,
      b64,
      toHex(key.publicKey),
      JSON.stringify({ vkey }),
      JSON.stringify({ public_key: b64 }),
    ]) {
      expect(toHex(parseTrustedKey(text, note).keyId)).toBe(toHex(key.keyId));
    }
  });

  it("parses only well-formed checkpoint bodies", () => {
    const r = btoa(String.fromCharCode(...root));
    expect(parseCheckpointText(`o\n0\n${r}\n`).size).toBe(0);
    expect(parseCheckpointText(`o\n7\n${r}\next\n`).extensions).toEqual(["ext"]);
    for (const bad of [
      `o\n07\n${r}\n`,
      `o\n-1\n${r}\n`,
      `o\n7\n${r}`,
      `o\n7\nAAAA\n`,
      `\n7\n${r}\n`,
      `o\n7\n${r}\n\n`,
    ]) {
      expect(() => parseCheckpointText(bad), bad).toThrow(NoteError);
    }
  });
});
