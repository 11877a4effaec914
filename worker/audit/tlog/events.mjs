// Reading exported audit events for the verifier: each event's seq, the leaf hash it claims
// (integrity.leaf_hash) and the leaf hash of its content, kept in flat typed arrays so a million
// events cost ~80 MB and no per-event objects.
import { fromHex, HASH_SIZE, hashLeaf, sha256 } from "./merkle.mjs";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * RFC 8785 canonical JSON of a parsed JSON value: keys sorted by UTF-16 code units, ECMAScript
 * number and string serialization (what JSON.stringify already does for primitives).
 */
export function canonicalJson(value) {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}

/** The leaf hash the log holds for an exported event: its canonical JSON without seq and integrity. */
export function eventLeafHash(event) {
  const { seq: _seq, integrity: _integrity, ...body } = event;
  return hashLeaf(encoder.encode(canonicalJson(body)));
}

// An export line is JSON.stringify({...body, seq, integrity: {leaf_hash}}): the canonical body
// with `,"seq":N,"integrity":{"leaf_hash":"<hex>"}}` in place of its closing brace. Hashing that
// prefix + "}" straight from the bytes skips JSON.parse and re-canonicalization; when it does not
// give the claimed hash (another serializer, or tampering) the line takes the slow, exact path.
const SEQ_KEY = encoder.encode(',"seq":');
const LEAF_KEY = encoder.encode('"integrity":{"leaf_hash":"');
const TAIL_LENGTH = LEAF_KEY.length + 64 + 3; // …"<64 hex>"}}

function matchesAt(buf, at, pattern) {
  if (at < 0) return false;
  for (let i = 0; i < pattern.length; i++) if (buf[at + i] !== pattern[i]) return false;
  return true;
}

const isDigit = (b) => b >= 0x30 && b <= 0x39;
const isSpace = (b) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;

/** Locates seq and the claimed hash at the end of a line; null when the line is not shaped so. */
function exportTail(buf, start, end) {
  const hexEnd = end - 3;
  if (end - start < TAIL_LENGTH + SEQ_KEY.length + 3 || buf[start] !== 0x7b) return null;
  if (buf[hexEnd] !== 0x22 || buf[hexEnd + 1] !== 0x7d || buf[hexEnd + 2] !== 0x7d) return null;
  const hexStart = hexEnd - 64;
  if (!matchesAt(buf, hexStart - LEAF_KEY.length, LEAF_KEY)) return null;
  let p = hexStart - LEAF_KEY.length - 1; // the comma after the seq digits
  if (buf[p] !== 0x2c) return null;
  const digitsEnd = p;
  while (p > start && isDigit(buf[p - 1])) p--;
  if (p === digitsEnd || digitsEnd - p > 15 || buf[p] === 0x30) return null;
  if (!matchesAt(buf, p - SEQ_KEY.length, SEQ_KEY)) return null;
  let seq = 0;
  for (let i = p; i < digitsEnd; i++) seq = seq * 10 + (buf[i] - 0x30);
  return { seq, bodyEnd: p - SEQ_KEY.length, hexStart };
}

/** Decodes 64 lowercase hex digits at buf[start] into out[at…]; false if they are not hex. */
function hexInto(buf, start, out, at) {
  for (let i = 0; i < HASH_SIZE; i++) {
    const hi = hexValue(buf[start + 2 * i]);
    const lo = hexValue(buf[start + 2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[at + i] = hi * 16 + lo;
  }
  return true;
}

function sameAt(hash, array, at) {
  for (let i = 0; i < HASH_SIZE; i++) if (hash[i] !== array[at + i]) return false;
  return true;
}

function hexValue(b) {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

function resized(array, length) {
  const bigger = new array.constructor(length);
  bigger.set(array);
  return bigger;
}

/** Every exported event read so far, in input order. */
export class EventCollector {
  files = [];
  /** Lines that are not events: { file, line, message }. */
  malformed = [];
  count = 0;
  #seq = new Float64Array(1024);
  #line = new Float64Array(1024);
  #file = new Int32Array(1024);
  #content = new Uint8Array(1024 * HASH_SIZE);
  #claimed = new Uint8Array(1024 * HASH_SIZE);
  #hasClaim = new Uint8Array(1024);
  #scratch = new Uint8Array(64 * 1024);

  /** Starts a new input; returns its index for add*(). */
  beginFile(name) {
    this.files.push(name);
    return this.files.length - 1;
  }

  /** One NDJSON line from buf[start, end). Blank lines are skipped. */
  addLine(buf, start, end, file, line) {
    let e = end;
    while (e > start && isSpace(buf[e - 1])) e--;
    let s = start;
    while (s < e && isSpace(buf[s])) s++;
    if (s === e) return;
    const tail = exportTail(buf, s, e);
    if (tail) {
      // The claimed hash goes straight into its slot; the event is kept only if it matches.
      this.#reserve(this.count + 1);
      const at = this.count * HASH_SIZE;
      if (hexInto(buf, tail.hexStart, this.#claimed, at)) {
        const content = this.#hashBody(buf, s, tail.bodyEnd);
        if (sameAt(content, this.#claimed, at)) {
          this.#record(tail.seq, content, true, file, line);
          return;
        }
      }
    }
    let event;
    try {
      event = JSON.parse(decoder.decode(buf.subarray(s, e)));
    } catch {
      this.malformed.push({ file, line, message: "not valid UTF-8 JSON" });
      return;
    }
    this.addObject(event, file, line);
  }

  /** A line as text (the Worker tests and small inputs). */
  addText(text, file, line) {
    const bytes = encoder.encode(text);
    this.addLine(bytes, 0, bytes.length, file, line);
  }

  /** An already parsed event (JSON array inputs). */
  addObject(event, file, line) {
    if (event === null || typeof event !== "object" || Array.isArray(event)) {
      this.malformed.push({ file, line, message: "not a JSON object" });
      return;
    }
    if (!Number.isSafeInteger(event.seq) || event.seq < 1) {
      this.malformed.push({ file, line, message: "no valid seq" });
      return;
    }
    const claim = event.integrity?.leaf_hash;
    const claimed = typeof claim === "string" && /^[0-9a-f]{64}$/.test(claim) ? fromHex(claim) : null;
    this.#record(event.seq, eventLeafHash(event), claimed, file, line);
  }

  seq(i) {
    return this.#seq[i];
  }

  line(i) {
    return this.#line[i];
  }

  file(i) {
    return this.#file[i];
  }

  content(i) {
    return this.#content.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }

  /** The integrity.leaf_hash the event carried, or null. */
  claimed(i) {
    return this.#hasClaim[i] ? this.#claimed.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE) : null;
  }

  #hashBody(buf, start, bodyEnd) {
    const length = bodyEnd - start;
    if (this.#scratch.length < length + 2) this.#scratch = new Uint8Array(2 * (length + 2));
    const input = this.#scratch;
    input[0] = 0;
    input.set(buf.subarray(start, bodyEnd), 1);
    input[length + 1] = 0x7d; // the body's own closing brace
    return sha256(input.subarray(0, length + 2));
  }

  #reserve(n) {
    if (n <= this.#seq.length) return;
    const capacity = Math.max(n, this.#seq.length * 2);
    this.#seq = resized(this.#seq, capacity);
    this.#line = resized(this.#line, capacity);
    this.#file = resized(this.#file, capacity);
    this.#hasClaim = resized(this.#hasClaim, capacity);
    this.#content = resized(this.#content, capacity * HASH_SIZE);
    this.#claimed = resized(this.#claimed, capacity * HASH_SIZE);
  }

  /** `claimed`: the hash bytes, null, or true when already written to the slot. */
  #record(seq, content, claimed, file, line) {
    this.#reserve(this.count + 1);
    const i = this.count++;
    this.#seq[i] = seq;
    this.#line[i] = line;
    this.#file[i] = file;
    this.#content.set(content, i * HASH_SIZE);
    if (claimed) {
      if (claimed !== true) this.#claimed.set(claimed, i * HASH_SIZE);
      this.#hasClaim[i] = 1;
    }
  }
}
