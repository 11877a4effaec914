/**
 * Streamed exports. The file is the log as of the request (seq ≤ the tenant's max seq then, so the
 * export's own `audit.export` event is not in it), paged from D1 by seq ascending, hashed while it
 * streams; the manifest lands in R2 before the last byte is released, so once a client has read
 * the whole body, GET …/manifest answers.
 */
import { auditLogOf } from "../../db/client";
import { newId } from "../../lib/ids";
import { isoTime } from "../../lib/time";
import { filterSql } from "../queries";
import type { AuditRecorder } from "../recorder";
import type { AuditFilters } from "../schemas";
import { type ExportFormat, type ExportRow, FORMATS } from "./formats";
import {
  bridgeProof,
  checkpointNote,
  exportManifestKey,
  FileStats,
  getManifest,
  manifestFilters,
  putManifest,
} from "./manifest";
import type { Manifest } from "./schemas";

const PAGE = 1000;
const encoder = new TextEncoder();

export type ExportQuery = AuditFilters & { format: ExportFormat };

type Job = {
  env: Env;
  tenantId: string;
  exportId: string;
  format: ExportFormat;
  filters: AuditFilters;
  where: string;
  params: unknown[];
  throughSeq: number;
  createdAt: string;
};

export type StartedExport = {
  exportId: string;
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
};

function exportMetadata(job: Job): Record<string, string | number> {
  const metadata: Record<string, string | number> = {
    export_id: job.exportId,
    format: job.format,
    through_seq: job.throughSeq,
  };
  for (const [key, value] of Object.entries(manifestFilters(job.filters))) {
    const text = Array.isArray(value) ? value.join(key === "field" ? " & " : ",") : String(value);
    metadata[`filter_${key}`] = text.slice(0, 500);
  }
  return metadata;
}

/** Validates the filters, records the export, and returns the (not yet started) stream. */
export async function startExport(rec: AuditRecorder, query: ExportQuery): Promise<StartedExport> {
  const { format, ...filters } = query;
  const tenantId = rec.source.tenantId;
  const { where, params } = filterSql(tenantId, filters);
  const max = await rec.d1
    .prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_events WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ seq: number }>();
  const job: Job = {
    env: rec.env,
    tenantId,
    exportId: newId("exp_"),
    format,
    filters,
    where,
    params,
    throughSeq: max?.seq ?? 0,
    createdAt: new Date().toISOString(),
  };
  await rec.record({
    event_type: "audit.export",
    crud: "r",
    target: [{ type: "audit_export", id: job.exportId }],
    metadata: exportMetadata(job),
  });
  const fmt = FORMATS[format];
  return {
    exportId: job.exportId,
    filename: `audit-${job.exportId}.${fmt.extension}`,
    contentType: fmt.contentType,
    body: exportStream(job),
  };
}

async function writeManifest(job: Job, stats: FileStats): Promise<void> {
  const manifest: Manifest = {
    export_id: job.exportId,
    tenant_id: job.tenantId,
    format: job.format,
    filters: manifestFilters(job.filters),
    created_at: job.createdAt,
    range: stats.range(),
    count: stats.count,
    bytes: stats.bytes,
    sha256: await stats.sha256(),
    checkpoint: await checkpointNote(job.env, job.tenantId, stats.lastSeq),
  };
  manifest.consistency_proof = await bridgeProof(job.env, job.tenantId, stats.lastSeq, manifest.checkpoint);
  await putManifest(job.env, exportManifestKey(job.tenantId, job.exportId), manifest);
}

function exportStream(job: Job): ReadableStream<Uint8Array> {
  const fmt = FORMATS[job.format];
  const stats = new FileStats();
  const sql = `SELECT e.seq, e.body, e.leaf_hash, e.occurred_at FROM audit_events e
    WHERE ${job.where} AND e.seq > ? AND e.seq <= ? ORDER BY e.seq LIMIT ${PAGE}`;
  let after = 0;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          await step(controller);
        } catch (err) {
          stats.abort(err);
          throw err;
        }
      },
      cancel(reason) {
        stats.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );

  async function step(controller: ReadableStreamDefaultController<Uint8Array>) {
    let text = started ? "" : fmt.head;
    started = true;
    const { results } = await (await auditLogOf(job.env, job.tenantId)).d1
      .prepare(sql)
      .bind(...job.params, after, job.throughSeq)
      .all<ExportRow>();
    for (const row of results) {
      text += fmt.row(row, stats.count);
      stats.event(row.seq, isoTime(row.occurred_at));
      after = row.seq;
    }
    const done = results.length < PAGE;
    if (done) text += fmt.tail(stats.count);
    const chunk = encoder.encode(text);
    await stats.write(chunk);
    if (chunk.byteLength) controller.enqueue(chunk);
    if (done) {
      await writeManifest(job, stats);
      controller.close();
    }
  }
}

/** A manifest of this tenant's; another tenant's id, or one still streaming, is not found. */
export function exportManifest(env: Env, tenantId: string, exportId: string): Promise<Manifest | null> {
  return getManifest(env, exportManifestKey(tenantId, exportId));
}
