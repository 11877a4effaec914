/**
 * A throwaway PKI for the SIEM receiver tests (Node; loaded by vitest.config.ts, so plain JS): a CA
 * and a `localhost`/`127.0.0.1` server certificate signed by it, both P-256, valid for a day. Built
 * with node:crypto and a small DER writer, so the tests need no openssl binary.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where trustTestCa() leaves the server certificate and key for test/audit/siem/receiver.ts. */
export const TLS_DIR_ENV = "AUDITTRAIL_TEST_TLS_DIR";

function len(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...parts) => tlv(0x30, ...parts);
const set = (...parts) => tlv(0x31, ...parts);
const bool = (v) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const integer = (b) => tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);

function oid(dotted) {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime YYMMDDHHMMSSZ */
const utcTime = (d) => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, "")}Z`));
const name = (cn) => seq(set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(cn, "utf8")))));
const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));
const extension = (id, critical, value) => seq(oid(id), ...(critical ? [bool(true)] : []), tlv(0x04, value));

function certificate({ subject, issuer, publicKey, signingKey, ca }) {
  const serial = randomBytes(8);
  serial[0] &= 0x7f;
  const now = Date.now();
  const extensions = ca
    ? [
        extension("2.5.29.19", true, seq(bool(true))), // basicConstraints CA:TRUE
        extension("2.5.29.15", true, tlv(0x03, Buffer.from([1, 0x06]))), // keyCertSign, cRLSign
      ]
    : [
        extension("2.5.29.19", true, seq()), // CA:FALSE
        extension("2.5.29.15", true, tlv(0x03, Buffer.from([7, 0x80]))), // digitalSignature
        extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))), // serverAuth
        extension(
          "2.5.29.17", // subjectAltName: DNS localhost, IP 127.0.0.1
          false,
          seq(tlv(0x82, Buffer.from("localhost")), tlv(0x87, Buffer.from([127, 0, 0, 1]))),
        ),
      ];
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ECDSA_SHA256,
    name(issuer),
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name(subject),
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign("sha256", tbs, signingKey);
  const der = seq(tbs, ECDSA_SHA256, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der.toString("base64").replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}

/** @returns {{ caPem: string, certPem: string, keyPem: string }} */
export function makeTestPki() {
  const ca = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const leaf = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const caName = "AuditTrail test CA";
  return {
    caPem: certificate({
      subject: caName,
      issuer: caName,
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      ca: true,
    }),
    certPem: certificate({
      subject: "localhost",
      issuer: caName,
      publicKey: leaf.publicKey,
      signingKey: ca.privateKey,
      ca: false,
    }),
    keyPem: leaf.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/**
 * Makes workerd trust a fresh test CA. Miniflare reads NODE_EXTRA_CA_CERTS once, when it is first
 * imported, into the trusted certificates of workerd's outbound network service; so this runs before
 * anything imports miniflare (vitest.config.ts loads the vitest plugin dynamically afterwards). A CA
 * file already named by NODE_EXTRA_CA_CERTS stays trusted.
 */
export function trustTestCa() {
  if (process.env[TLS_DIR_ENV]) return;
  const pki = makeTestPki();
  const dir = mkdtempSync(join(tmpdir(), "audittrail-test-tls-"));
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  const inherited = existing && existsSync(existing) ? `${readFileSync(existing, "utf8").trimEnd()}\n` : "";
  writeFileSync(join(dir, "ca.pem"), inherited + pki.caPem);
  writeFileSync(join(dir, "server-cert.pem"), pki.certPem);
  writeFileSync(join(dir, "server-key.pem"), pki.keyPem, { mode: 0o600 });
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  process.env[TLS_DIR_ENV] = dir;
}
