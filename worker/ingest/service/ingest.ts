import type { TenantContext } from "../../db/client";
import { notifyIngested } from "../listeners";
import type { IngestBatch, IngestResult } from "../schemas";
import { normalizeBatch } from "./normalize";
import { type SqlCost, storeBatch } from "./store";

type Deps = { tenant: TenantContext; ctx: Pick<ExecutionContext, "waitUntil"> };

/**
 * Stores one validated batch. Whole values of oversized fields are written to R2 first, so a row
 * in D1 never points at a payload that is not there.
 */
export async function ingestBatch(
  { tenant, ctx }: Deps,
  batch: IngestBatch,
  spanAgents?: ReadonlyMap<string, string>,
): Promise<IngestResult & { sql: SqlCost }> {
  const { env, principal } = tenant;
  if (!principal) throw new Error("ingest needs the sending key's principal");
  const normalized = normalizeBatch(batch, tenant.id, spanAgents);
  await Promise.all(
    normalized.oversized.map((o) =>
      env.ARCHIVE.put(o.key, o.body, { httpMetadata: { contentType: "application/json" } }),
    ),
  );
  const sender = { tenantId: tenant.id, apiKeyId: principal.apiKeyId ?? null, userId: principal.userId };
  const { sql, ...created } = await storeBatch(tenant.d1, sender, normalized);
  const { apiKeyId, userId } = sender;
  notifyIngested(env, ctx, {
    tenant,
    apiKeyId,
    userId,
    batch,
    spanRows: normalized.spans,
    receivedAt: Date.now(),
    spanAgents,
    ...created,
  });
  return {
    accepted: { traces: batch.traces.length, spans: batch.spans.length },
    truncated: normalized.oversized.length,
    warnings: [],
    sql,
  };
}

/** A `Server-Timing` header value: what D1 spent on the batch, for clients and benchmarks to read. */
export function serverTiming(sql: SqlCost): string {
  const ms = Math.round(sql.duration_ms * 1000) / 1000;
  return `d1;dur=${ms}, d1-rows-read;desc="${sql.rows_read}", d1-rows-written;desc="${sql.rows_written}"`;
}
