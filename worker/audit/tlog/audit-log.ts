import { DurableObject } from "cloudflare:workers";
import { auditLogOf } from "../../db/client";
import { bytesEqual, fromHex } from "./merkle.mjs";
import { openCheckpoint } from "./note.mjs";
import { consistencyFor, inclusionFor, toCheckpoint } from "./proofs";
import { getPublishedCheckpoint, putCheckpoint, putTiles } from "./publish";
import { describeKey, generateKey, importKey, type SigningKey, signCheckpoint } from "./signer";
import { LogStore, type StoredCheckpoint } from "./store";
import {
  type Checkpoint,
  type ConsistencyProof,
  type InclusionProof,
  originFor,
  type ProofResult,
  type PublicKeyInfo,
} from "./types";

/** Rows read from D1 per query while catching up. */
export const BATCH_ROWS = 5000;
/** notify() → alarm delay: appends within this window share one checkpoint. */
const NOTIFY_DELAY_MS = 1000;

/** Steps a test can make a round fail after (through runInDurableObject), as in Azul's tests. */
export type FaultStep = "after-append" | "after-commit" | "after-tiles" | "after-publish";

type Row = { seq: number; leaf_hash: string };

/**
 * One per tenant (`idFromName(tenantId)`): the tenant's RFC 6962 log. It copies new leaf hashes
 * from D1 in seq order, signs a checkpoint and publishes tiles then the checkpoint to R2.
 *
 * Crash safety (after Azul): leaves and tile entries are committed to this object's SQLite first;
 * the signed checkpoint row is the commit point; tiles are then written to R2 and the checkpoint
 * last, and `published_size` records success. Every round starts by re-publishing whatever a
 * previous round committed but did not finish publishing, so a crash at any step loses nothing.
 */
export class AuditLog extends DurableObject<Env> {
  /** Test hook: the next rounds throw right after this step until reset to null. */
  faultAt: FaultStep | null = null;
  readonly #store: LogStore;
  #key: Promise<SigningKey> | null = null;
  #tail: Promise<unknown> = Promise.resolve();
  #comparedWithR2 = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new LogStore(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => this.#store.init());
  }

  /** New events were committed to D1: sequence them within about a second. */
  async notify(tenantId: string): Promise<void> {
    this.#store.bindTenant(tenantId);
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + NOTIFY_DELAY_MS);
    }
  }

  /** Cron safety net: schedules a round if D1 is ahead or R2 lags; says whether it did. */
  async catchUp(tenantId: string, d1MaxSeq: number): Promise<boolean> {
    this.#store.bindTenant(tenantId);
    const latest = this.#store.latest();
    const behind =
      d1MaxSeq > this.#store.treeSize ||
      this.#store.treeSize > (latest?.size ?? -1) ||
      this.#store.publishedSize < (latest?.size ?? -1);
    if (behind) await this.notify(tenantId);
    return behind;
  }

  async alarm(): Promise<void> {
    if (this.#store.tenantId === null) return;
    const before = this.#store.treeSize;
    await this.#exclusive(() => this.#round());
    // While events keep arriving, look again shortly: appenders notify at most every 250 ms per
    // isolate (worker/audit/recorder.ts), so a round that found new rows must not be the last.
    if (this.#store.treeSize > before && (await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + NOTIFY_DELAY_MS);
    }
  }

  /** Sequences now (tests, benchmarks) and returns the checkpoint covering every visible row. */
  async checkpointNow(tenantId: string): Promise<Checkpoint> {
    this.#store.bindTenant(tenantId);
    return toCheckpoint(await this.#exclusive(() => this.#round()), originFor(tenantId));
  }

  async latest(tenantId: string): Promise<Checkpoint | null> {
    this.#store.bindTenant(tenantId);
    const latest = this.#store.latest();
    return latest ? toCheckpoint(latest, originFor(tenantId)) : null;
  }

  async inclusion(tenantId: string, seq: number, treeSize?: number): Promise<ProofResult<InclusionProof>> {
    this.#store.bindTenant(tenantId);
    return inclusionFor(this.#store, this.#store.latest(), seq, treeSize);
  }

  async consistency(tenantId: string, from: number, to?: number): Promise<ProofResult<ConsistencyProof>> {
    this.#store.bindTenant(tenantId);
    return consistencyFor(this.#store, this.#store.latest(), from, to);
  }

  async publicKey(tenantId: string): Promise<PublicKeyInfo> {
    this.#store.bindTenant(tenantId);
    return describeKey(await this.#signingKey(tenantId), originFor(tenantId));
  }

  /** Rounds never overlap: each waits for the previous one, failed or not. */
  #exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(run, run);
    this.#tail = next.catch(() => {});
    return next;
  }

  async #round(): Promise<StoredCheckpoint> {
    const tenantId = this.#store.tenantId as string;
    await this.#finishPublishing(tenantId);
    await this.#appendNewRows(tenantId);
    this.#fault("after-append");
    let latest = this.#store.latest();
    if (!latest || latest.size < this.#store.treeSize) {
      latest = await this.#sign(tenantId);
      this.#fault("after-commit");
    }
    await this.#publish(tenantId, latest);
    return latest;
  }

  /** Copies new D1 rows' leaf hashes, in seq order, until caught up or at a gap. */
  async #appendNewRows(tenantId: string): Promise<void> {
    for (;;) {
      const after = this.#store.treeSize;
      const { results } = await (await auditLogOf(this.env, tenantId)).d1
        .prepare(
          "SELECT seq, leaf_hash FROM audit_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(tenantId, after, BATCH_ROWS)
        .all<Row>();
      const leaves = contiguousLeaves(results, after);
      if (leaves.length) this.#store.appendLeaves(leaves);
      if (leaves.length < results.length) {
        // Seqs are gap-free by construction; a gap means a row vanished. Never log past it.
        console.error("audit log: seq gap or bad leaf hash in D1", {
          tenantId,
          after: after + leaves.length,
        });
        return;
      }
      if (results.length < BATCH_ROWS) return;
    }
  }

  async #sign(tenantId: string): Promise<StoredCheckpoint> {
    const key = await this.#signingKey(tenantId);
    const size = this.#store.treeSize;
    const root = this.#store.root(size);
    const note = await signCheckpoint(key, originFor(tenantId), size, root);
    const cp = { size, root, note, signedAt: Date.now() };
    this.#store.addCheckpoint(cp);
    return cp;
  }

  async #publish(tenantId: string, cp: StoredCheckpoint): Promise<void> {
    const published = this.#store.publishedSize;
    if (published >= cp.size) return;
    await putTiles(this.env.ARCHIVE, tenantId, this.#store, published, cp.size);
    this.#fault("after-tiles");
    await putCheckpoint(this.env.ARCHIVE, tenantId, cp.note);
    this.#fault("after-publish");
    this.#store.setPublished(cp.size);
  }

  /** Recovery: R2 must end up holding our latest checkpoint and its tiles. */
  async #finishPublishing(tenantId: string): Promise<void> {
    const latest = this.#store.latest();
    if (!latest) return;
    if (!this.#comparedWithR2) {
      await this.#compareWithR2(tenantId, latest);
      this.#comparedWithR2 = true;
    }
    await this.#publish(tenantId, latest);
  }

  /**
   * Once per object start, like Azul's load(): an R2 checkpoint behind ours (or missing, or not
   * signed by us) is re-published; one ahead of ours or forking from it stops the log.
   */
  async #compareWithR2(tenantId: string, latest: StoredCheckpoint): Promise<void> {
    const note = await getPublishedCheckpoint(this.env.ARCHIVE, tenantId);
    let r2Size = -1;
    if (note !== null) {
      try {
        const r2 = await openCheckpoint(note, await this.#signingKey(tenantId), originFor(tenantId));
        if (r2.size > latest.size) throw new FatalLogError(`R2 checkpoint ${r2.size} is ahead of ours`);
        if (r2.size === latest.size && !bytesEqual(r2.root, latest.root)) {
          throw new FatalLogError(`R2 checkpoint forks from ours at size ${r2.size}`);
        }
        r2Size = r2.size;
      } catch (err) {
        if (err instanceof FatalLogError) throw err;
        console.warn("audit log: R2 checkpoint unreadable or not ours; re-publishing", { tenantId });
      }
    }
    if (r2Size < this.#store.publishedSize) this.#store.setPublished(r2Size);
  }

  #signingKey(tenantId: string): Promise<SigningKey> {
    this.#key ??= this.#loadKey(originFor(tenantId)).catch((err) => {
      this.#key = null;
      throw err;
    });
    return this.#key;
  }

  async #loadKey(name: string): Promise<SigningKey> {
    let stored = this.#store.signingKey();
    if (!stored) {
      stored = await generateKey(name);
      this.#store.saveSigningKey(stored);
    }
    return importKey(stored);
  }

  #fault(step: FaultStep): void {
    if (this.faultAt === step) throw new Error(`injected fault after ${step}`);
  }
}

class FatalLogError extends Error {}

/** Leaf hashes of rows seq after+1, after+2, …, stopping at the first gap or bad hash. */
function contiguousLeaves(rows: Row[], after: number): Uint8Array[] {
  const leaves: Uint8Array[] = [];
  for (const row of rows) {
    if (row.seq !== after + leaves.length + 1 || !/^[0-9a-f]{64}$/.test(row.leaf_hash)) break;
    leaves.push(fromHex(row.leaf_hash));
  }
  return leaves;
}
