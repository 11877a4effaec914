import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { NotFoundError } from "../../lib/errors";
import { createRouter, errors, json, security } from "../../lib/openapi";
import { recorder } from "../recorder";
import { AuditEvent, AuditExportQuery } from "../schemas";
import { ExportIdParam, Manifest } from "./schemas";
import { exportManifest, startExport } from "./service";

const tags = ["audit"];
const readers = {
  security: security.either,
  middleware: [requireAuth({ scope: "read", roles: ["owner", "admin"] })],
};

const exportFile = createRoute({
  ...readers,
  method: "get",
  path: "/audit/export",
  tags,
  summary: "Download the audit log (CSV, JSON, NDJSON or OCSF), streamed, with a manifest",
  description:
    "Takes the same filters as GET /audit/events; events come in seq order, up to the newest event " +
    "when the export starts. The `X-Audit-Export-Id` header names the export; once the body has been " +
    "read to the end, GET /audit/exports/{export_id}/manifest gives its SHA-256, length, seq range, " +
    "count and the signed checkpoint to check it against. The export is itself an audit event " +
    "(`audit.export`).",
  request: { query: AuditExportQuery },
  responses: {
    200: {
      description: "The file (Content-Disposition: attachment)",
      headers: z.object({ "x-audit-export-id": z.string() }),
      content: {
        "text/csv": { schema: z.string().openapi({ description: "Header row, one row per event" }) },
        "application/json": { schema: z.array(AuditEvent) },
        "application/x-ndjson": {
          schema: z.string().openapi({ description: "One event (or OCSF API Activity object) per line" }),
        },
      },
    },
    ...errors(400, 401, 403),
  },
});

const manifest = createRoute({
  ...readers,
  method: "get",
  path: "/audit/exports/{export_id}/manifest",
  tags,
  summary: "The manifest of an export: SHA-256, length, seq range, count, checkpoint",
  request: { params: ExportIdParam },
  responses: {
    200: json(Manifest, "The manifest"),
    ...errors(400, 401, 403, 404),
  },
});

export const auditExportRoutes = createRouter()
  .openapi(exportFile, async (c) => {
    const started = await startExport(recorder(c), c.req.valid("query"));
    return c.body(started.body, 200, {
      "content-type": started.contentType,
      "content-disposition": `attachment; filename="${started.filename}"`,
      "x-audit-export-id": started.exportId,
      "cache-control": "no-store",
    });
  })
  .openapi(manifest, async (c) => {
    const found = await exportManifest(c.env, c.var.principal.tenant.id, c.req.valid("param").export_id);
    if (!found) throw new NotFoundError("Export manifest");
    return c.json(found, 200);
  });
