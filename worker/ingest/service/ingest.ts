import { dataD1 } from "../../db/client";
import type { Principal } from "../../env";
import { notifyIngested } from "../listeners";
import type { IngestBatch, IngestResult } from "../schemas";
import { normalizeBatch } from "./normalize";
import { storeBatch } from "./store";

type Deps = { env: Env; ctx: Pick<ExecutionContext, "waitUntil">; principal: Principal };

/**
 * Stores one validated batch. Whole values of oversized fields are written to R2 first, so a row
 * in D1 never points at a payload that is not there.
 */
export async function ingestBatch(
  { env, ctx, principal }: Deps,
  batch: IngestBatch,
  spanAgents?: ReadonlyMap<string, string>,
): Promise<IngestResult> {
  const tenant = principal.tenant;
  const normalized = normalizeBatch(batch, tenant.id, spanAgents);
  await Promise.all(
    normalized.oversized.map((o) =>
      env.ARCHIVE.put(o.key, o.body, { httpMetadata: { contentType: "application/json" } }),
    ),
  );
  const sender = { tenantId: tenant.id, apiKeyId: principal.apiKeyId ?? null, userId: principal.userId };
  const created = await storeBatch(dataD1(env, tenant), sender, normalized);
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
  };
}
