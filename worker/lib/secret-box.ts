/**
 * Secrets stored AES-256-GCM encrypted (SIEM signing secrets, alert channel credentials). The key
 * is HKDF-SHA256 of SECRETS_KEY with a per-purpose salt and the tenant id as `info`, so one
 * tenant's rows cannot be decrypted with another's key, nor one feature's with another's; the AAD
 * binds a ciphertext to its tenant and owner row, so a row copied elsewhere fails to open.
 * Stored form: `v1.` + base64url(12-byte IV ‖ ciphertext+tag).
 */
import { DomainError } from "./errors";
import { base64Url } from "./ids";

const encoder = new TextEncoder();
const VERSION = "v1";

export class SecretsKeyMissingError extends DomainError {
  constructor(what: string) {
    super(409, "secrets_key_missing", `This server has no SECRETS_KEY, so it cannot store ${what}`);
  }
}

/** What a sealed secret is for: the HKDF salt, and the words the missing-key error uses. */
export type SecretPurpose = { salt: string; what: string };

type KeyEnv = { SECRETS_KEY?: string };

function fromBase64(s: string): Uint8Array {
  const b64 = s.replaceAll("-", "+").replaceAll("_", "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

async function tenantKey(env: KeyEnv, purpose: SecretPurpose, tenantId: string): Promise<CryptoKey> {
  let master: Uint8Array;
  try {
    master = fromBase64(env.SECRETS_KEY ?? "");
  } catch {
    throw new SecretsKeyMissingError(purpose.what);
  }
  if (master.length < 32) throw new SecretsKeyMissingError(purpose.what);
  const ikm = await crypto.subtle.importKey("raw", master, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode(purpose.salt), info: encoder.encode(tenantId) },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const aad = (tenantId: string, ownerId: string) => encoder.encode(`${tenantId}:${ownerId}`);

export async function sealSecret(
  env: KeyEnv,
  purpose: SecretPurpose,
  tenantId: string,
  ownerId: string,
  secret: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(tenantId, ownerId) },
    await tenantKey(env, purpose, tenantId),
    encoder.encode(secret),
  );
  const out = new Uint8Array(12 + cipher.byteLength);
  out.set(iv);
  out.set(new Uint8Array(cipher), 12);
  return `${VERSION}.${base64Url(out)}`;
}

export async function openSecret(
  env: KeyEnv,
  purpose: SecretPurpose,
  tenantId: string,
  ownerId: string,
  stored: string,
): Promise<string> {
  const [version, payload] = stored.split(".");
  if (version !== VERSION || !payload) throw new Error(`unknown secret format ${version}`);
  const raw = fromBase64(payload);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: raw.slice(0, 12), additionalData: aad(tenantId, ownerId) },
    await tenantKey(env, purpose, tenantId),
    raw.slice(12),
  );
  return new TextDecoder().decode(plain);
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** `x-audittrail-signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export async function signatureHeader(secret: string, body: string, unixSeconds: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${unixSeconds}.${body}`));
  return `t=${unixSeconds},v1=${hex(new Uint8Array(mac))}`;
}
