import { z } from "@hono/zod-openapi";
import { Manifest } from "../export/schemas";

export const ArchiveDay = z
  .object({
    day: z.string().openapi({ example: "2025-01-31", description: "UTC day of received_at" }),
    object_key: z.string(),
    manifest_key: z.string(),
    first_seq: z.number().int(),
    last_seq: z.number().int(),
    count: z.number().int(),
    bytes: z.number().int().openapi({ description: "Size of the .ndjson.gz object" }),
    sha256: z.string().openapi({ description: "Hex SHA-256 of the .ndjson.gz object" }),
    created_at: z.iso.datetime(),
    pruned_at: z.iso.datetime().nullable().openapi({ description: "When the day left D1" }),
    manifest: Manifest.nullable(),
  })
  .openapi("AuditArchiveDay");
export type ArchiveDay = z.output<typeof ArchiveDay>;

export const ArchiveDayList = z
  .object({ data: z.array(ArchiveDay), next_cursor: z.string().nullable() })
  .openapi("AuditArchiveDayList");

export const ArchiveListQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const DayParam = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD")
    .openapi({ example: "2025-01-31" }),
});
