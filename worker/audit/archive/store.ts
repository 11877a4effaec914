/**
 * Archive day objects in R2: `audit/<tenant>/archive/<YYYY-MM-DD>.ndjson.gz`, the gzip of the
 * day's events as export NDJSON lines in seq order, written without holding the day in memory
 * (one upload part at most) and read back line by line.
 */

import { auditLogOf } from "../../db/client";
import { isoTime } from "../../lib/time";
import { FileStats } from "../export/manifest";
import { type EventRow, rowToLine } from "../queries";

export const archivePrefix = (tenantId: string) => `audit/${tenantId}/archive/`;
export const archiveObjectKey = (tenantId: string, day: string) =>
  `${archivePrefix(tenantId)}${day}.ndjson.gz`;
export const archiveManifestKey = (tenantId: string, day: string) =>
  `${archivePrefix(tenantId)}${day}.manifest.json`;

/** A contiguous seq range whose events were received on (or, for stragglers, before) `day`. */
export type DayChunk = { day: string; firstSeq: number; lastSeq: number; count: number };

/** R2 wants a known length: parts of exactly `partSize` bytes (≥ 5 MiB in production), last one shorter. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const PAGE = 1000;
const encoder = new TextEncoder();

class ObjectUploader {
  private readonly buffer: Uint8Array;
  private filled = 0;
  private upload: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly partSize: number,
    private readonly options: R2PutOptions,
  ) {
    this.buffer = new Uint8Array(partSize);
  }

  async add(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const n = Math.min(this.partSize - this.filled, chunk.byteLength - offset);
      this.buffer.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.partSize) await this.flushPart();
    }
  }

  private async flushPart(): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, this.options);
    const part = await this.upload.uploadPart(this.parts.length + 1, this.buffer.slice(0, this.filled));
    this.parts.push(part);
    this.filled = 0;
  }

  async finish(): Promise<R2Object> {
    if (!this.upload) return this.bucket.put(this.key, this.buffer.slice(0, this.filled), this.options);
    if (this.filled) await this.flushPart();
    return this.upload.complete(this.parts);
  }

  async abort(): Promise<void> {
    await this.upload?.abort().catch(() => {});
  }
}

/** The chunk's rows from D1 in seq order, a page at a time; a missing seq is an error. */
async function* chunkRows(db: D1Database, tenantId: string, chunk: DayChunk) {
  let next = chunk.firstSeq;
  while (next <= chunk.lastSeq) {
    const { results } = await db
      .prepare(
        `SELECT seq, body, leaf_hash, occurred_at FROM audit_events
         WHERE tenant_id = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ${PAGE}`,
      )
      .bind(tenantId, next, chunk.lastSeq)
      .all<EventRow & { occurred_at: number }>();
    if (!results.length) throw new Error(`audit seq ${next} missing from D1 for ${tenantId}`);
    for (const row of results) {
      if (row.seq !== next) throw new Error(`audit seq ${next} missing from D1 for ${tenantId}`);
      next += 1;
    }
    yield results;
  }
}

export type Rendered = { content: FileStats; contentSha: string; object?: { sha: string; bytes: number } };

/**
 * Renders the chunk's NDJSON from D1, hashing it; with `upload`, also gzips it into R2 under
 * `key` and hashes the compressed bytes as written.
 */
export async function renderDay(
  env: Env,
  tenantId: string,
  chunk: DayChunk,
  upload?: { key: string; partSize: number },
): Promise<Rendered> {
  const content = new FileStats();
  const gzip = upload ? new CompressionStream("gzip") : null;
  const writer = gzip?.writable.getWriter();
  const objectStats = new FileStats();
  const uploader =
    upload &&
    new ObjectUploader(env.ARCHIVE, upload.key, upload.partSize, {
      httpMetadata: { contentType: "application/gzip" },
      customMetadata: { first_seq: String(chunk.firstSeq), last_seq: String(chunk.lastSeq) },
    });

  const drain = async () => {
    if (!gzip || !uploader) return;
    const reader = gzip.readable.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        await objectStats.write(value);
        await uploader.add(value);
      }
    } catch (err) {
      await reader.cancel(err).catch(() => {}); // unblocks the producer's pending write
      throw err;
    }
  };
  const produce = async () => {
    try {
      for await (const rows of chunkRows((await auditLogOf(env, tenantId)).d1, tenantId, chunk)) {
        let text = "";
        for (const row of rows) {
          text += `${rowToLine(row)}\n`;
          content.event(row.seq, isoTime(row.occurred_at));
        }
        const bytes = encoder.encode(text);
        await content.write(bytes);
        await writer?.write(bytes);
      }
      await writer?.close();
    } catch (err) {
      await writer?.abort(err).catch(() => {});
      throw err;
    }
  };
  try {
    await Promise.all([produce(), drain()]);
    if (!uploader) return { content, contentSha: await content.sha256() };
    await uploader.finish();
    return {
      content,
      contentSha: await content.sha256(),
      object: { sha: await objectStats.sha256(), bytes: objectStats.bytes },
    };
  } catch (err) {
    await uploader?.abort();
    throw err;
  }
}

async function readAll(stream: ReadableStream<Uint8Array>, onChunk: (c: Uint8Array) => Promise<void>) {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    await onChunk(value);
  }
}

/** Decompressed NDJSON lines of a gzip stream; `onBytes` sees the decompressed bytes first. */
export async function* gzipLines(
  body: ReadableStream<Uint8Array>,
  onBytes?: (chunk: Uint8Array) => Promise<void>,
): AsyncGenerator<string> {
  const reader = body.pipeThrough(new DecompressionStream("gzip")).getReader();
  const decoder = new TextDecoder();
  let carry = "";
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (onBytes) await onBytes(value);
      carry += decoder.decode(value, { stream: true });
      const lines = carry.split("\n");
      carry = lines.pop() ?? "";
      for (const line of lines) if (line) yield line;
    }
    finished = true;
    carry += decoder.decode();
    if (carry) yield carry;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
}

const SEQ_TAIL = /,"seq":(\d+),"integrity":\{"leaf_hash":"[0-9a-f]{64}"\}\}$/;

export type Verified = {
  objectSha: string;
  objectBytes: number;
  contentSha: string;
  contentBytes: number;
  count: number;
  /** Why the object does not hold exactly seqs firstSeq..lastSeq, one per line; null if it does. */
  problem: string | null;
};

/** Reads the object back: hashes it as stored and decompressed, and checks its seqs line by line. */
export async function verifyDayObject(env: Env, key: string, chunk: DayChunk): Promise<Verified | null> {
  const object = await env.ARCHIVE.get(key);
  if (!object) return null;
  const stored = new FileStats();
  const content = new FileStats();
  const [raw, forLines] = object.body.tee();
  let lines = 0;
  let problem: string | null = null;
  const checkLines = async () => {
    for await (const line of gzipLines(forLines, (c) => content.write(c))) {
      const seq = Number(SEQ_TAIL.exec(line)?.[1] ?? Number.NaN);
      const expected = chunk.firstSeq + lines;
      lines += 1;
      if (problem === null && seq !== expected) problem = `line ${lines}: expected seq ${expected}`;
    }
  };
  const read = await Promise.allSettled([readAll(raw, (c) => stored.write(c)), checkLines()]);
  const failed = read.find((r) => r.status === "rejected");
  if (failed) problem = `unreadable: ${String(failed.reason)}`;
  if (problem === null && lines !== chunk.count) problem = `${lines} lines, expected ${chunk.count}`;
  return {
    objectSha: await stored.sha256(),
    objectBytes: stored.bytes,
    contentSha: await content.sha256(),
    contentBytes: content.bytes,
    count: lines,
    problem,
  };
}
