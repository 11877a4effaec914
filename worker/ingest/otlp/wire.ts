/**
 * @bufbuild/protobuf's BinaryReader plus the few reads the OTLP decoder does per span, done
 * without allocating: tags as one number (not a `[no, type]` pair), ids straight to lowercase
 * hex, fixed64 nanoseconds straight to decimal text (no BigInt in the common case).
 */
import { BinaryReader } from "@bufbuild/protobuf/wire";

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const TWO_32 = 0x1_0000_0000;
/** Attribute keys up to this many bytes are interned per request. */
const MAX_INTERNED_KEY = 64;
const E7 = 10_000_000;

export class WireReader extends BinaryReader {
  /** The buffer BinaryReader keeps private; hex ids and fixed64 read it directly. */
  private readonly buffer: Uint8Array;
  private lastTraceIdStart = -1;
  private lastTraceIdLength = 0;
  private lastTraceIdHex = "";
  /** Attribute key text by hash of its bytes: a request repeats the same few dozen keys. */
  private readonly keys = new Map<number, string>();

  constructor(bytes: Uint8Array) {
    super(bytes);
    this.buffer = bytes;
  }

  /** A tag as `fieldNo << 3 | wireType`, with the checks of `BinaryReader.tag()`. */
  tagValue(): number {
    const start = this.pos;
    const tag = this.uint32();
    const read = this.pos - start;
    if (read > 5 || (read === 5 && this.buffer[this.pos - 1] > 0x0f)) {
      throw new Error("illegal tag: varint overflows uint32");
    }
    const fieldNo = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNo <= 0 || wireType > 5) {
      throw new Error(`illegal tag: field no ${fieldNo} wire type ${wireType}`);
    }
    return tag;
  }

  /** A length-delimited `bytes` field as lowercase hex. */
  hex(): string {
    const start = this.skipBytes();
    return toHex(this.buffer, start, this.pos);
  }

  /**
   * Like `hex()`, reusing the previous trace id's text when the bytes repeat: consecutive spans
   * of one request mostly share their trace.
   */
  traceIdHex(): string {
    const start = this.skipBytes();
    const length = this.pos - start;
    if (!this.sameAsLastTraceId(start, length)) {
      this.lastTraceIdHex = toHex(this.buffer, start, this.pos);
    }
    this.lastTraceIdStart = start;
    this.lastTraceIdLength = length;
    return this.lastTraceIdHex;
  }

  /**
   * A `string` field that repeats often (attribute keys): the same bytes give the same string
   * without decoding again, so later Map lookups by key also hit a cached hash.
   */
  internedString(): string {
    const field = this.pos;
    const length = this.uint32();
    const start = this.pos;
    if (length > MAX_INTERNED_KEY || start + length > this.len) {
      this.pos = field;
      return this.string();
    }
    const hash = hashBytes(this.buffer, start, start + length);
    const known = this.keys.get(hash);
    if (known !== undefined && sameAscii(known, this.buffer, start, length)) {
      this.pos = start + length;
      return known;
    }
    this.pos = field;
    const text = this.string();
    if (known === undefined) this.keys.set(hash, text);
    return text;
  }

  /** A `fixed64` as unsigned decimal text. */
  fixed64Text(): string {
    const lo = this.fixed32();
    const hi = this.fixed32();
    return uint64ToDecimal(lo, hi);
  }

  /** Steps over a length-delimited field; returns where its content starts (it ends at `pos`). */
  private skipBytes(): number {
    const length = this.uint32();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.len) throw new RangeError("premature EOF");
    return start;
  }

  private sameAsLastTraceId(start: number, length: number): boolean {
    if (this.lastTraceIdStart < 0 || length !== this.lastTraceIdLength) return false;
    const bytes = this.buffer;
    const last = this.lastTraceIdStart;
    for (let i = 0; i < length; i++) {
      if (bytes[start + i] !== bytes[last + i]) return false;
    }
    return true;
  }
}

/** FNV-1a over `bytes[start, end)`. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash;
}

/** Whether `text` is exactly the ASCII bytes `bytes[start, start + length)`. */
function sameAscii(text: string, bytes: Uint8Array, start: number, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const b = bytes[start + i];
    if (b > 0x7f || text.charCodeAt(i) !== b) return false;
  }
  return true;
}

function toHex(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i++) out += HEX[bytes[i]];
  return out;
}

/** Decimal text of `hi * 2^32 + lo` (both unsigned 32-bit), exact beyond 2^53. */
export function uint64ToDecimal(lo: number, hi: number): string {
  if (hi < 0x20_0000) return String(hi * TWO_32 + lo);
  // Split into 24-bit limbs and carry in base 1e7 (as protobuf-javascript does).
  const low = lo & 0xff_ffff;
  const mid = ((lo >>> 24) | (hi << 8)) & 0xff_ffff;
  const high = (hi >>> 16) & 0xffff;
  let digitA = low + mid * 6_777_216 + high * 6_710_656;
  let digitB = mid + high * 8_147_497;
  let digitC = high * 2;
  if (digitA >= E7) {
    digitB += Math.floor(digitA / E7);
    digitA %= E7;
  }
  if (digitB >= E7) {
    digitC += Math.floor(digitB / E7);
    digitB %= E7;
  }
  return String(digitC) + pad7(digitB) + pad7(digitA);
}

function pad7(n: number): string {
  return String(n).padStart(7, "0");
}
