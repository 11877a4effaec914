// What the verifier is told to check against: the trusted key in its accepted spellings, the seq
// range the inputs claim, and what their manifests say.
import { fromBase64, fromHex } from "./merkle.mjs";
import { NoteError, parseCheckpointText, parseNote, parseVkey, trustedKey } from "./note.mjs";

/**
 * A trusted key from a vkey (`name+id+key`), the JSON of GET /audit/public-key, or a raw 32-byte
 * Ed25519 key in hex or base64 (named after the checkpoint's origin, as the log names its key).
 */
export function parseTrustedKey(text, checkpointNote) {
  const value = String(text).trim();
  if (value.startsWith("{")) {
    const json = JSON.parse(value);
    if (typeof json.vkey === "string") return parseVkey(json.vkey);
    return parseTrustedKey(json.public_key ?? "", checkpointNote);
  }
  if (/^[^+\s]+\+[0-9a-fA-F]{8}\+/.test(value)) return parseVkey(value);
  let raw = null;
  if (/^[0-9a-fA-F]{64}$/.test(value)) raw = fromHex(value);
  else {
    try {
      raw = fromBase64(value);
    } catch {}
  }
  if (raw?.length !== 32)
    throw new NoteError("malformed", "the key is neither a vkey nor a 32-byte Ed25519 key");
  const origin = checkpointNote ? parseCheckpointText(parseNote(checkpointNote).text).origin : null;
  if (!origin) throw new NoteError("malformed", "a raw key needs the checkpoint to name it");
  return trustedKey(origin, raw);
}

/** An export manifest's seq range, in any of the shapes we have written it: [a, b], {from, to}, "a-b". */
export function parseRange(range) {
  if (range === undefined || range === null) return null;
  if (typeof range === "string") {
    const m = /^(\d+)\s*[-–]\s*(\d+)$/.exec(range.trim());
    return m ? [Number(m[1]), Number(m[2])] : null;
  }
  if (Array.isArray(range) && range.length === 2) return range.map(Number);
  const from = range.from_seq ?? range.first_seq ?? range.from ?? range.start;
  const to = range.to_seq ?? range.last_seq ?? range.to ?? range.end;
  return Number.isSafeInteger(from) && Number.isSafeInteger(to) ? [from, to] : null;
}

/** An export made with filters holds a subset of seqs by design. */
export function hasFilters(manifest) {
  const filters = manifest?.filters;
  return Boolean(filters && typeof filters === "object" && Object.keys(filters).length > 0);
}

/**
 * Each input file as its manifest describes it: the SHA-256 of the file as downloaded (or, for an
 * archive day, of its decompressed NDJSON) and its event count.
 */
export function checkManifests(manifests, events, report) {
  const perFile = new Map();
  for (let e = 0; e < events.count; e++) perFile.set(events.file(e), (perFile.get(events.file(e)) ?? 0) + 1);
  for (const { file, manifest, hashes = [] } of manifests) {
    const name = events.files[file] ?? String(file);
    const claimed = [manifest.sha256, manifest.content_sha256].filter((h) => typeof h === "string");
    if (claimed.length && !claimed.some((h) => hashes.includes(h.toLowerCase()))) {
      report.add("manifest", {
        file: name,
        message: `file hash differs from its manifest's sha256 ${claimed[0]}`,
      });
    }
    const count = perFile.get(file) ?? 0;
    if (Number.isSafeInteger(manifest.count) && manifest.count !== count) {
      report.add("manifest", {
        file: name,
        message: `holds ${count} events, its manifest says ${manifest.count}`,
      });
    }
  }
}

/** A consistency proof a manifest may carry from its last seq to its checkpoint's size. */
export function manifestProof(manifests) {
  return manifests.map((m) => m.manifest.consistency_proof).find((p) => p && typeof p === "object");
}

/** The seqs the inputs claim to cover: given, else what their manifests declare, else 1..size. */
export function declaredRange(options, size) {
  if (options.range) return options.range;
  const ranges = (options.manifests ?? []).map((m) => parseRange(m.manifest.range));
  if (ranges.length === 0 || ranges.some((r) => r === null)) return [1, size];
  return [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
}
