import { z } from "@hono/zod-openapi";

const base64Hash = z
  .string()
  .openapi({ description: "Base64 SHA-256", example: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=" });
const count = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const Checkpoint = z
  .object({
    origin: z.string().openapi({ example: "audittrail/t_01KAQ3Z8M2" }),
    size: z.number().int().openapi({ description: "Events covered: seq 1 … size" }),
    root_hash: base64Hash.openapi({ description: "RFC 6962 Merkle root, base64 (as in the note)" }),
    note: z.string().openapi({
      description:
        "The C2SP signed note: origin, size and root lines, a blank line, `— <key name> <signature>`",
    }),
    signed_at: z.iso.datetime(),
  })
  .openapi("AuditCheckpoint");

export const InclusionQuery = z.object({
  seq: count.openapi({ description: "The event's seq" }),
  tree_size: count
    .optional()
    .openapi({ description: "Prove against this checkpointed size (default: the latest)" }),
});

export const InclusionProof = z
  .object({
    seq: z.number().int(),
    leaf_index: z.number().int().openapi({ description: "seq − 1" }),
    tree_size: z.number().int(),
    leaf_hash: z.string().openapi({ description: "Hex, as the event's integrity.leaf_hash" }),
    root_hash: base64Hash.openapi({ description: "Root of the tree of tree_size events" }),
    hashes: z.array(base64Hash).openapi({ description: "Sibling hashes from the leaf up (RFC 9162 §2.1.3)" }),
  })
  .openapi("AuditInclusionProof");

export const ConsistencyQuery = z.object({
  from: count.openapi({ description: "The older tree size (one you hold a checkpoint for)" }),
  to: count.optional().openapi({ description: "The newer size (default: the latest checkpoint)" }),
});

export const ConsistencyProof = z
  .object({
    from_size: z.number().int(),
    to_size: z.number().int(),
    from_root: base64Hash,
    to_root: base64Hash,
    hashes: z.array(base64Hash).openapi({ description: "RFC 9162 §2.1.4 consistency proof" }),
  })
  .openapi("AuditConsistencyProof");

export const PublicKey = z
  .object({
    origin: z.string(),
    key_name: z.string(),
    key_id: z
      .string()
      .openapi({ description: "Hex signed-note key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]" }),
    public_key: z.string().openapi({ description: "Base64 raw 32-byte Ed25519 public key" }),
    algorithm: z.literal("Ed25519"),
    vkey: z.string().openapi({
      description:
        "Signed-note verifier key `<name>+<hex key id>+<base64(0x01 ‖ key)>`, for audittrail-verify --key",
    }),
  })
  .openapi("AuditPublicKey");
