/**
 * Manifests let an auditor check a file offline: the SHA-256 and length of the exact bytes, the
 * seq range and count, and the tenant's latest signed checkpoint note, which commits to every leaf
 * up to its size (so to every `integrity.leaf_hash` in the file when size ≥ last_seq).
 */
import { toHex } from "../leaf";
import type { AuditFilters } from "../schemas";
import { type Checkpoint, checkpointNow, consistencyProof, latestCheckpoint } from "../tlog/client";
import type { Manifest } from "./schemas";

export const exportManifestKey = (tenantId: string, exportId: string) =>
  `audit/${tenantId}/exports/${exportId}.manifest.json`;

/** Running SHA-256, byte count, seq range, count and occurred_at range of what was written. */
export class FileStats {
  private readonly digest = new crypto.DigestStream("SHA-256");
  private readonly writer = this.digest.getWriter();
  bytes = 0;
  count = 0;
  firstSeq: number | null = null;
  lastSeq: number | null = null;
  private minOccurred: string | null = null;
  private maxOccurred: string | null = null;

  async write(chunk: Uint8Array): Promise<void> {
    if (!chunk.byteLength) return;
    this.bytes += chunk.byteLength;
    await this.writer.write(chunk);
  }

  event(seq: number, occurredAt: string): void {
    this.count += 1;
    this.firstSeq ??= seq;
    this.lastSeq = seq;
    // ISO 8601 UTC with ms (how bodies store it) sorts as text.
    if (this.minOccurred === null || occurredAt < this.minOccurred) this.minOccurred = occurredAt;
    if (this.maxOccurred === null || occurredAt > this.maxOccurred) this.maxOccurred = occurredAt;
  }

  async sha256(): Promise<string> {
    await this.writer.close();
    return toHex(new Uint8Array(await this.digest.digest));
  }

  abort(reason?: unknown): void {
    this.writer.abort(reason).catch(() => {});
  }

  range(): Manifest["range"] {
    return { first_seq: this.firstSeq, last_seq: this.lastSeq, from: this.minOccurred, to: this.maxOccurred };
  }
}

/** The latest signed checkpoint, or a fresh one when the latest does not reach `lastSeq` yet. */
export async function coveringCheckpoint(
  env: Env,
  tenantId: string,
  lastSeq: number | null,
): Promise<Checkpoint | null> {
  const latest = await latestCheckpoint(env, tenantId);
  if (lastSeq === null || (latest && latest.size >= lastSeq)) return latest;
  return checkpointNow(env, tenantId);
}

/** The covering checkpoint's note, else the latest's, else null: a manifest never fails for want of one. */
export async function checkpointNote(
  env: Env,
  tenantId: string,
  lastSeq: number | null,
): Promise<string | null> {
  try {
    return (await coveringCheckpoint(env, tenantId, lastSeq))?.note ?? null;
  } catch (err) {
    console.error("no covering checkpoint for a manifest; using the latest", err);
    return (await latestCheckpoint(env, tenantId).catch(() => null))?.note ?? null;
  }
}

/** The proof from the file's last seq to the checkpoint's size, when they differ. */
export async function bridgeProof(
  env: Env,
  tenantId: string,
  lastSeq: number | null,
  note: string | null,
): Promise<Record<string, unknown> | null> {
  const size = Number(note?.split("\n")[1]);
  if (!lastSeq || !Number.isFinite(size) || size <= lastSeq) return null;
  try {
    return (await consistencyProof(env, tenantId, lastSeq, size)) as unknown as Record<string, unknown>;
  } catch (err) {
    console.error("no consistency proof for a manifest", err);
    return null;
  }
}

/** Filters as given, without the absent ones. */
export function manifestFilters(f: AuditFilters): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(f).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
}

export async function putManifest(env: Env, key: string, manifest: Manifest): Promise<void> {
  await env.ARCHIVE.put(key, `${JSON.stringify(manifest, null, 2)}\n`, {
    httpMetadata: { contentType: "application/json" },
  });
}

export async function getManifest(env: Env, key: string): Promise<Manifest | null> {
  const object = await env.ARCHIVE.get(key);
  return object ? ((await object.json()) as Manifest) : null;
}
