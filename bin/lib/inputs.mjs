// Node-side input for audittrail-verify: streaming NDJSON / JSON / .gz files into the verifier's
// EventCollector without per-line promises, finding manifests, and fetching tiles from a
// directory or an HTTP(S) base URL.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createGunzip } from "node:zlib";

const EVENT_FILE = /\.(ndjson|jsonl|json)(\.gz)?$/;
const NEWLINE = 0x0a;

/** Every event file named on the command line; directories contribute their files, sorted by name. */
export function listEventFiles(paths) {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .filter((name) => EVENT_FILE.test(name) && !name.endsWith(".manifest.json"))
      .sort()
      .map((name) => join(path, name));
  });
}

/** `day.ndjson.gz` → `day.manifest.json` beside it (how exports and archive days are stored). */
export function siblingManifest(file) {
  const stem = basename(file).replace(EVENT_FILE, "");
  const path = join(dirname(file), `${stem}.manifest.json`);
  return existsSync(path) ? path : null;
}

/** Splits chunks into lines and hands each line's byte range to the collector. */
class LineSplitter {
  #carry = null;
  #line = 0;

  constructor(collector, file, arrayMode) {
    this.collector = collector;
    this.file = file;
    this.arrayMode = arrayMode;
  }

  push(chunk) {
    let start = 0;
    if (this.#carry) {
      // Only the line cut at the previous chunk's end is copied, not the whole chunk.
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.#carry = Buffer.concat([this.#carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.#carry, chunk.subarray(0, nl)]);
      this.#emit(line, 0, line.length);
      start = nl + 1;
    }
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.#emit(chunk, start, nl);
      start = nl + 1;
    }
    this.#carry = start < chunk.length ? Buffer.from(chunk.subarray(start)) : null;
  }

  end() {
    if (this.#carry) this.#emit(this.#carry, 0, this.#carry.length);
    this.#carry = null;
  }

  #emit(buf, start, end) {
    this.#line++;
    let e = end;
    if (this.arrayMode) {
      // Our JSON export: "[", then one event per line, each but the last followed by ",", then "]".
      while (e > start && (buf[e - 1] === 0x0d || buf[e - 1] === 0x20)) e--;
      if (e - start === 1 && (buf[start] === 0x5b || buf[start] === 0x5d)) return;
      if (buf[e - 1] === 0x2c) e--;
    }
    this.collector.addLine(buf, start, e, this.file, this.#line);
  }
}

/** How a file is laid out: NDJSON, our one-event-per-line JSON array, or any other JSON array. */
function sniffLayout(head) {
  const text = head.toString("utf8").trimStart();
  if (!text.startsWith("[")) return "ndjson";
  const [first, second = "]"] = text.split("\n", 2).map((l) => l.trim());
  // One whole event per line (how our JSON export is written), else parse the file as a whole.
  const oneEventPerLine = second === "]" || (second.startsWith("{") && /\}\s*,?$/.test(second));
  return first === "[" && oneEventPerLine ? "array-lines" : "json";
}

async function* chunks(path) {
  const raw = createReadStream(path, { highWaterMark: 4 << 20 });
  yield* path.endsWith(".gz") ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
}

/** SHA-256 of the file as stored and, for .gz, of its decompressed content. */
async function fileHashes(path) {
  const raw = createHash("sha256");
  for await (const c of createReadStream(path, { highWaterMark: 4 << 20 })) raw.update(c);
  const hashes = [raw.digest("hex")];
  if (path.endsWith(".gz")) {
    const content = createHash("sha256");
    for await (const c of chunks(path)) content.update(c);
    hashes.push(content.digest("hex"));
  }
  return hashes;
}

/** Reads one event file into the collector; returns its manifest check input if it has one. */
export async function readEventFile(collector, path, manifestPath) {
  const file = collector.beginFile(path);
  let splitter = null;
  let whole = null;
  for await (const chunk of chunks(path)) {
    if (!splitter && !whole) {
      const layout = sniffLayout(chunk.subarray(0, 1 << 16));
      if (layout === "json") whole = [];
      else splitter = new LineSplitter(collector, file, layout === "array-lines");
    }
    if (whole) whole.push(chunk);
    else splitter.push(chunk);
  }
  splitter?.end();
  if (whole) readJsonArray(collector, file, Buffer.concat(whole));
  if (!manifestPath) return null;
  return { file, manifest: JSON.parse(readFileSync(manifestPath, "utf8")), hashes: await fileHashes(path) };
}

function readJsonArray(collector, file, bytes) {
  let events;
  try {
    events = JSON.parse(bytes.toString("utf8"));
  } catch {
    collector.malformed.push({ file, line: 1, message: "not valid JSON" });
    return;
  }
  if (!Array.isArray(events)) {
    collector.malformed.push({ file, line: 1, message: "a JSON export must be an array of events" });
    return;
  }
  events.forEach((event, i) => {
    collector.addObject(event, file, i + 1);
  });
}

/**
 * `fetchTile(path)` for a tile directory (the R2 prefix `audit/<tenant>/` as downloaded, holding
 * `tile/…`) or an HTTP(S) base URL serving the same paths.
 */
export function tileFetcher(location) {
  if (/^https?:\/\//.test(location)) {
    const base = location.replace(/\/+$/, "");
    return async (path) => {
      const res = await fetch(`${base}/${path}`);
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`GET ${base}/${path}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    };
  }
  const base = basename(location) === "tile" ? dirname(location) : location;
  return async (path) => {
    const file = join(base, path);
    if (existsSync(file)) return new Uint8Array(readFileSync(file));
    const wider = widerPartial(file);
    return wider ? new Uint8Array(readFileSync(wider)) : null;
  };
}

/**
 * A copy of the log taken later may lack the partial tile of an older size but hold a wider
 * partial of the same tile, whose first entries are the same hashes (tiles only ever grow).
 */
function widerPartial(file) {
  const m = /^(.*)\.p\/(\d+)$/.exec(file);
  if (!m || !existsSync(`${m[1]}.p`)) return null;
  const widths = readdirSync(`${m[1]}.p`)
    .map(Number)
    .filter((w) => Number.isInteger(w) && w > Number(m[2]));
  return widths.length ? join(`${m[1]}.p`, String(Math.min(...widths))) : null;
}

/** The checkpoint published beside the tiles, if the tile location has one. */
export async function publishedCheckpoint(location) {
  if (/^https?:\/\//.test(location)) {
    const res = await fetch(`${location.replace(/\/+$/, "")}/checkpoint`);
    return res.ok ? res.text() : null;
  }
  const base = basename(location) === "tile" ? dirname(location) : location;
  const file = join(base, "checkpoint");
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}
