// The audit log's transparency side: the latest signed checkpoint, inclusion proofs, the signing key.
import type { z } from "@hono/zod-openapi";
import { query } from "@solidjs/router";
import type {
  Checkpoint as CheckpointSchema,
  InclusionProof as InclusionProofSchema,
  InclusionQuery,
  PublicKey,
} from "../../../worker/audit/proofs/schemas";
import { auditSearch } from "./audit";
import { request } from "./client";

export type Checkpoint = z.output<typeof CheckpointSchema>;
export type InclusionProof = z.output<typeof InclusionProofSchema>;
export type PublicKeyInfo = z.output<typeof PublicKey>;

export const getCheckpoint = query(
  () => request<Checkpoint>("GET", "/api/v1/audit/checkpoint"),
  "audit-checkpoint",
);

export const getPublicKey = query(
  () => request<PublicKeyInfo>("GET", "/api/v1/audit/public-key"),
  "audit-public-key",
);

/** Uncached: a proof is asked for against one checkpoint, read just before. */
export function fetchCheckpoint(): Promise<Checkpoint> {
  return request<Checkpoint>("GET", "/api/v1/audit/checkpoint");
}

export function fetchInclusionProof(seq: number, treeSize: number): Promise<InclusionProof> {
  const q = { seq, tree_size: treeSize } satisfies z.output<typeof InclusionQuery>;
  return request<InclusionProof>("GET", `/api/v1/audit/proofs/inclusion?${auditSearch(q)}`);
}
