// Audit exports are files, not JSON: read as a blob, saved through a temporary link, and named by
// the X-Audit-Export-Id header, which leads to the export's manifest (hash, count, checkpoint).
import type { z } from "@hono/zod-openapi";
import type { Manifest } from "../../../worker/audit/export/schemas";
import type { ExportFormat as ExportFormatSchema } from "../../../worker/audit/schemas";
import { type AuditQuery, auditSearch } from "./audit";
import { ApiError, type FieldIssue } from "./client";

export type ExportFormat = z.output<typeof ExportFormatSchema>;
export type ExportManifest = z.output<typeof Manifest>;
export type ExportResult = { filename: string; bytes: number; exportId: string | null };

export const manifestHref = (exportId: string) =>
  `/api/v1/audit/exports/${encodeURIComponent(exportId)}/manifest`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

async function toApiError(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const details = Array.isArray(error.details)
    ? error.details.filter(
        (d): d is FieldIssue => isRecord(d) && typeof d.path === "string" && typeof d.message === "string",
      )
    : [];
  return new ApiError(
    res.status,
    typeof error.code === "string" ? error.code : "http_error",
    typeof error.message === "string" ? error.message : `Export failed (${res.status} ${res.statusText})`,
    details,
  );
}

function filenameOf(res: Response, format: ExportFormat): string {
  const disposition = res.headers.get("content-disposition") ?? "";
  const named = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  return named ?? `audit-log.${format === "ocsf" ? "ocsf.ndjson" : format}`;
}

/** Downloads an export of the events matching `q` (cursor and limit do not apply to exports). */
export async function downloadExport(format: ExportFormat, q: AuditQuery): Promise<ExportResult> {
  const { cursor: _cursor, limit: _limit, ...filters } = q;
  const res = await fetch(`/api/v1/audit/export?${auditSearch({ ...filters, format })}`, {
    credentials: "same-origin",
  });
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
