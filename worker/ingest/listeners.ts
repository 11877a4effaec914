import type { SpanInsert } from "../db/traces";
import type { Tenant } from "../env";
import type { IngestBatch } from "./schemas";

/** What a stored batch hands on: the governor queue and the tenant's live hub subscribe here. */
export type StoredBatch = {
  tenant: Tenant;
  apiKeyId: string | null;
  userId: string;
  batch: IngestBatch;
  /** The batch's spans as written to the store (cost estimated, long values cut), in batch order. */
  spanRows: readonly SpanInsert[];
  receivedAt: number;
  /** Ids first stored by this batch; the rest were updates of rows sent earlier. */
  newTraceIds: Set<string>;
  newSpanIds: Set<string>;
  /** traceId → agent for traces known only through their spans (OTLP's service.name). */
  spanAgents?: ReadonlyMap<string, string>;
};

export type IngestListener = (env: Env, stored: StoredBatch) => Promise<void>;

const listeners: IngestListener[] = [];

/** Features that react to new spans register here at module load (see worker/index.ts). */
export function onIngested(listener: IngestListener): void {
  listeners.push(listener);
}

/** Runs after the response: a failing or slow listener never slows or fails ingest. */
export function notifyIngested(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  stored: StoredBatch,
): void {
  for (const listener of listeners) {
    ctx.waitUntil(
      listener(env, stored).catch((err: unknown) => console.error("ingest listener failed", err)),
    );
  }
}
