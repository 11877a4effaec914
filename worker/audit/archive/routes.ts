import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { createRouter, errors, json, security } from "../../lib/openapi";
import { AuditEventList, AuditListQuery } from "../schemas";
import { archiveObject, listArchiveDays, searchArchive } from "./queries";
import { ArchiveDayList, ArchiveListQuery, DayParam } from "./schemas";

const tags = ["audit"];
const readers = {
  security: security.either,
  middleware: [requireAuth({ scope: "read", roles: ["owner", "admin"] })],
};

const days = createRoute({
  ...readers,
  method: "get",
  path: "/audit/archive",
  tags,
  summary: "Archived days (moved to R2 by retention), newest first, with their manifests",
  request: { query: ArchiveListQuery },
  responses: { 200: json(ArchiveDayList, "A page of archived days"), ...errors(400, 401, 403, 404) },
});

const events = createRoute({
  ...readers,
  method: "get",
  path: "/audit/archive/events",
  tags,
  summary: "Search archived events, newest first, with the filters of GET /audit/events",
  description:
    "Opens the archived day objects (newest first), decompresses them and filters in the Worker. " +
    "One request opens at most 31 day objects; a page can then hold fewer than `limit` events and " +
    "still have a `next_cursor`. `from`/`to` skip days whose manifest shows no event in range.",
  request: { query: AuditListQuery },
  responses: { 200: json(AuditEventList, "A page of archived events"), ...errors(400, 401, 403, 404) },
});

const download = createRoute({
  ...readers,
  method: "get",
  path: "/audit/archive/days/{day}",
  tags,
  summary: "Download one archived day as stored (.ndjson.gz), to check against its manifest",
  request: { params: DayParam },
  responses: {
    200: {
      description: "The gzip object; its SHA-256 is the manifest's `sha256`",
      headers: z.object({ "x-audit-sha256": z.string() }),
      content: { "application/gzip": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errors(400, 401, 403, 404),
  },
});

export const auditArchiveRoutes = createRouter()
  .openapi(days, async (c) =>
    c.json(await listArchiveDays(c.env, c.var.principal.tenant.id, c.req.valid("query")), 200),
  )
  .openapi(events, async (c) =>
    c.json(await searchArchive(c.env, c.var.principal.tenant.id, c.req.valid("query")), 200),
  )
  .openapi(download, async (c) => {
    const { object, sha256, filename } = await archiveObject(
      c.env,
      c.var.principal.tenant.id,
      c.req.valid("param").day,
    );
    return c.body(object.body, 200, {
      "content-type": "application/gzip",
      "content-length": String(object.size),
      "content-disposition": `attachment; filename="${filename}"`,
      "x-audit-sha256": sha256,
    });
  });
