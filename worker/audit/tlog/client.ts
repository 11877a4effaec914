import { NotFoundError, ValidationError } from "../../lib/errors";
import type { AuditLog } from "./audit-log";
import type { Checkpoint, ConsistencyProof, InclusionProof, ProofResult, PublicKeyInfo } from "./types";

export type { Checkpoint, ConsistencyProof, InclusionProof, PublicKeyInfo } from "./types";

/** The tenant's AuditLog Durable Object. Callers must have authenticated the tenant already. */
export function auditLog(env: Env, tenantId: string) {
  // Typed here: the generated Env types the binding only once `wrangler types` sees the class.
  const namespace = env.AUDIT_LOG as DurableObjectNamespace<AuditLog>;
  return namespace.get(namespace.idFromName(tenantId));
}

/** After every append (with waitUntil): the log signs a checkpoint covering it within ~1 s. */
export async function requestCheckpoint(env: Env, tenantId: string): Promise<void> {
  await auditLog(env, tenantId).notify(tenantId);
}

/** Sequences immediately and returns the checkpoint covering every committed event. */
export async function checkpointNow(env: Env, tenantId: string): Promise<Checkpoint> {
  return auditLog(env, tenantId).checkpointNow(tenantId);
}

/** The latest signed checkpoint, or null before the first event. */
export async function latestCheckpoint(env: Env, tenantId: string): Promise<Checkpoint | null> {
  return auditLog(env, tenantId).latest(tenantId);
}

export async function inclusionProof(
  env: Env,
  tenantId: string,
  seq: number,
  treeSize?: number,
): Promise<InclusionProof> {
  return unwrap(await auditLog(env, tenantId).inclusion(tenantId, seq, treeSize));
}

export async function consistencyProof(
  env: Env,
  tenantId: string,
  fromSize: number,
  toSize?: number,
): Promise<ConsistencyProof> {
  return unwrap(await auditLog(env, tenantId).consistency(tenantId, fromSize, toSize));
}

/** The tenant's checkpoint-signing key (created on first use inside the Durable Object). */
export async function publicKey(env: Env, tenantId: string): Promise<PublicKeyInfo> {
  return auditLog(env, tenantId).publicKey(tenantId);
}

function unwrap<T>(result: ProofResult<T>): T {
  if (result.ok) return result.value;
  if (result.status === 404) throw new NotFoundError("Proof", result.message);
  throw new ValidationError(result.message);
}
