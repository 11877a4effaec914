// Audit exports are files, not JSON: read as a blob, saved through a temporary link, and named by
// the X-Audit-Export-Id header, which leads to the export's manifest (hash, count, checkpoint).
import type { z } from "@hono/zod-openapi";
import type { Manifest } from "../../../worker/audit/export/schemas";
import type { ExportFormat as ExportFormatSchema } from "../../../worker/audit/schemas";
import type { AuditQuery } from "./audit";
import { api, queryOf, toApiError } from "./client";

export type ExportFormat = z.output<typeof ExportFormatSchema>;
export type ExportManifest = z.output<typeof Manifest>;
export type ExportResult = { filename: string; bytes: number; exportId: string | null };

export const manifestHref = (exportId: string) =>
  `/api/v1/audit/exports/${encodeURIComponent(exportId)}/manifest`;

function filenameOf(res: Response, format: ExportFormat): string {
  const disposition = res.headers.get("content-disposition") ?? "";
  const named = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  return named ?? `audit-log.${format === "ocsf" ? "ocsf.ndjson" : format}`;
}

/** Downloads an export of the events matching `q` (cursor and limit do not apply to exports). */
export async function downloadExport(format: ExportFormat, q: AuditQuery): Promise<ExportResult> {
  const { cursor: _cursor, limit: _limit, ...filters } = q;
  const res = await api.audit.export.$get({ query: queryOf({ ...filters, format }) });
  if (!res.ok) throw await toApiError(res);
  const exportId = res.headers.get("x-audit-export-id");
  const blob = await res.blob();
  const filename = filenameOf(res, format);
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { filename, bytes: blob.size, exportId };
}
