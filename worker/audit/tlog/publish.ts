import type { LogStore } from "./store";
import { tilePath, tilesBetween } from "./tiles.mjs";

/** Everything of a tenant's log in R2 lives under this prefix (c2sp tlog-tiles layout below it). */
export function r2Prefix(tenantId: string): string {
  return `audit/${tenantId}/`;
}

// Workers allow six connections in flight; more would only queue.
const PARALLEL_PUTS = 6;

/** Writes every tile that changed between two published sizes, from the log's own hashes. */
export async function putTiles(
  bucket: R2Bucket,
  tenantId: string,
  store: LogStore,
  from: number,
  to: number,
) {
  const tiles = tilesBetween(Math.max(0, from), to);
  for (let i = 0; i < tiles.length; i += PARALLEL_PUTS) {
    await Promise.all(
      tiles.slice(i, i + PARALLEL_PUTS).map((t) =>
        bucket.put(
          r2Prefix(tenantId) + tilePath(t.level, t.index, t.width),
          store.tileBytes(t.level, t.index, t.width),
          {
            httpMetadata: {
              contentType: "application/octet-stream",
              cacheControl: "public, max-age=31536000, immutable",
            },
          },
        ),
      ),
    );
  }
  return tiles.length;
}

export async function putCheckpoint(bucket: R2Bucket, tenantId: string, note: string): Promise<void> {
  await bucket.put(`${r2Prefix(tenantId)}checkpoint`, note, {
    httpMetadata: { contentType: "text/plain; charset=utf-8", cacheControl: "no-cache, max-age=5" },
  });
}

export async function getPublishedCheckpoint(bucket: R2Bucket, tenantId: string): Promise<string | null> {
  const object = await bucket.get(`${r2Prefix(tenantId)}checkpoint`);
  return object ? object.text() : null;
}
