// The audit log's transparency side: the latest signed checkpoint, inclusion proofs, the signing key.
import type { z } from "@hono/zod-openapi";
import { query } from "@solidjs/router";
import type {
  Checkpoint as CheckpointSchema,
  InclusionProof as InclusionProofSchema,
  InclusionQuery,
  PublicKey,
} from "../../../worker/audit/proofs/schemas";
import { api, ok } from "./client";

export type Checkpoint = z.output<typeof CheckpointSchema>;
export type InclusionProof = z.output<typeof InclusionProofSchema>;
export type PublicKeyInfo = z.output<typeof PublicKey>;

export const getCheckpoint = query(() => ok(api.audit.checkpoint.$get()), "audit-checkpoint");

export const getPublicKey = query(() => ok(api.audit["public-key"].$get()), "audit-public-key");

/** Uncached: a proof is asked for against one checkpoint, read just before. */
export function fetchCheckpoint(): Promise<Checkpoint> {
  return ok(api.audit.checkpoint.$get());
}

export function fetchInclusionProof(seq: number, treeSize: number): Promise<InclusionProof> {
  const q = { seq, tree_size: treeSize } satisfies z.output<typeof InclusionQuery>;
  return ok(
    api.audit.proofs.inclusion.$get({ query: { seq: String(q.seq), tree_size: String(q.tree_size) } }),
  );
}
