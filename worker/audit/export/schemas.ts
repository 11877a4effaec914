import { z } from "@hono/zod-openapi";

export const Manifest = z
  .object({
    export_id: z
      .string()
      .nullable()
      .openapi({ description: "The export's id (X-Audit-Export-Id); null for an archive day" }),
    tenant_id: z.string(),
    format: z.enum(["csv", "json", "ndjson", "ocsf", "ndjson.gz"]),
    filters: z.record(z.string(), z.unknown()).openapi({ description: "The filters the file was made with" }),
    created_at: z.iso.datetime(),
    range: z.object({
      first_seq: z.number().int().nullable(),
      last_seq: z.number().int().nullable(),
      from: z.iso.datetime().nullable().openapi({ description: "Earliest occurred_at in the file" }),
      to: z.iso.datetime().nullable().openapi({ description: "Latest occurred_at in the file" }),
    }),
    count: z.number().int().openapi({ description: "Events in the file" }),
    bytes: z.number().int().openapi({ description: "Length of the file as downloaded" }),
    sha256: z.string().openapi({ description: "Hex SHA-256 of the file as downloaded" }),
    checkpoint: z.string().nullable().openapi({
      description:
        "The tenant's signed checkpoint note (origin, size, root hash, signatures) covering last_seq when one exists, else the latest; null if the log has none yet",
    }),
    consistency_proof: z.record(z.string(), z.unknown()).nullable().optional().openapi({
      description:
        "When the checkpoint is larger than last_seq: the consistency proof from last_seq to its size (as GET /audit/proofs/consistency), so a verifier can bridge from the file's tree to the signed one",
    }),
    day: z.string().optional().openapi({ description: "Archive only: the UTC day of received_at" }),
    object_key: z.string().optional().openapi({ description: "Archive only: the R2 object" }),
    content_sha256: z
      .string()
      .optional()
      .openapi({ description: "Archive only: hex SHA-256 of the decompressed NDJSON" }),
    content_bytes: z.number().int().optional().openapi({ description: "Archive only: decompressed length" }),
  })
  .openapi("AuditManifest");
export type Manifest = z.output<typeof Manifest>;

export const ExportIdParam = z.object({
  export_id: z
    .string()
    .regex(/^exp_[0-9A-Z]{26}$/, "not an export id")
    .openapi({ example: "exp_01JBZ8X3M4Q7R2T5V8W1Y4Z6A9" }),
});
