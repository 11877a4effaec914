import canonicalize from "canonicalize";
import { hashLeaf, toHex } from "./tlog/merkle.mjs";

export { toHex };

/** RFC 8785 (JCS) canonical JSON: the exact bytes an event's leaf hash covers. */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new Error("value has no JSON form");
  return out;
}

const encoder = new TextEncoder();

/** RFC 6962 leaf hash, SHA-256(0x00 ‖ canonical JSON), as hex (the log's own hasher, synchronous). */
export function leafHashHex(canonical: string): string {
  return toHex(hashLeaf(encoder.encode(canonical)));
}
