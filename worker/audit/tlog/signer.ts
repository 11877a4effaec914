import { toBase64, toHex } from "./merkle.mjs";
import { assembleNote, checkpointText, formatVkey, keyId, signatureLine, type TrustedKey } from "./note.mjs";
import type { StoredKey } from "./store";
import type { PublicKeyInfo } from "./types";

export type SigningKey = TrustedKey & { privateKey: CryptoKey };

const ED25519 = { name: "Ed25519" };

/** A fresh Ed25519 key pair; the private half is only ever exported into the log's own storage. */
export async function generateKey(name: string): Promise<StoredKey> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"])) as CryptoKeyPair;
  const pkcs8 = (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer;
  const raw = (await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer;
  return { name, pkcs8: new Uint8Array(pkcs8), publicKey: new Uint8Array(raw) };
}

export async function importKey(stored: StoredKey): Promise<SigningKey> {
  const privateKey = await crypto.subtle.importKey("pkcs8", stored.pkcs8, ED25519, false, ["sign"]);
  return {
    name: stored.name,
    keyId: keyId(stored.name, stored.publicKey),
    publicKey: stored.publicKey,
    privateKey,
  };
}

/** A C2SP checkpoint signed by the log's key. */
export async function signCheckpoint(key: SigningKey, origin: string, size: number, root: Uint8Array) {
  const text = checkpointText(origin, size, root);
  const signature = await crypto.subtle.sign(ED25519, key.privateKey, new TextEncoder().encode(text));
  return assembleNote(text, [signatureLine(key.name, key.keyId, new Uint8Array(signature))]);
}

export function describeKey(key: TrustedKey, origin: string): PublicKeyInfo {
  return {
    origin,
    key_name: key.name,
    key_id: toHex(key.keyId),
    public_key: toBase64(key.publicKey),
    algorithm: "Ed25519",
    vkey: formatVkey(key.name, key.publicKey),
  };
}
