/**
 * Reads over archived days: the list of days with their manifests, and event search that opens
 * the day objects newest first, filters in the Worker with `filterSql`'s semantics and pages with
 * the same tenant-bound seq cursors as GET /audit/events.
 */
import { auditLogOf } from "../../db/client";
import { NotFoundError } from "../../lib/errors";
import { isoTime } from "../../lib/time";
import { getManifest } from "../export/manifest";
import { decodeSeqCursor, encodeSeqCursor, filterSql } from "../queries";
import type { AuditEvent, AuditListQuery } from "../schemas";
import { eventPredicate } from "./predicate";
import type { ArchiveDay } from "./schemas";
import { archiveManifestKey, gzipLines } from "./store";

/** Per request: day objects opened, and days looked at (a manifest read rules one out by time). */
const MAX_FILES = 31;
const MAX_DAYS = 366;

type ArchiveRow = {
  day: string;
  object_key: string;
  first_seq: number;
  last_seq: number;
  event_count: number;
  sha256: string;
  bytes: number;
  created_at: number;
  pruned_at: number | null;
};

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));
const dayNumber = (day: string) => Number(day.replaceAll("-", ""));
const dayOfNumber = (n: number) => {
  const s = String(n).padStart(8, "0");
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};

export async function listArchiveDays(env: Env, tenantId: string, q: { cursor?: string; limit: number }) {
  const before = q.cursor ? dayOfNumber(await decodeSeqCursor(tenantId, q.cursor)) : null;
  const { results } = await (await auditLogOf(env, tenantId)).d1
    .prepare(
      `SELECT * FROM audit_archives WHERE tenant_id = ?${before ? " AND day < ?" : ""} ORDER BY day DESC LIMIT ?`,
    )
    .bind(tenantId, ...(before ? [before] : []), q.limit + 1)
    .all<ArchiveRow>();
  const page = results.slice(0, q.limit);
  const data: ArchiveDay[] = await Promise.all(
    page.map(async (r) => ({
      day: r.day,
      object_key: r.object_key,
      manifest_key: archiveManifestKey(tenantId, r.day),
      first_seq: r.first_seq,
      last_seq: r.last_seq,
      count: r.event_count,
      bytes: r.bytes,
      sha256: r.sha256,
      created_at: iso(r.created_at) ?? "",
      pruned_at: iso(r.pruned_at),
      manifest: await getManifest(env, archiveManifestKey(tenantId, r.day)),
    })),
  );
  const last = page.at(-1);
  return {
    data,
    next_cursor:
      results.length > q.limit && last ? await encodeSeqCursor(tenantId, dayNumber(last.day)) : null,
  };
}

/** The archived object for one day of this tenant's, for download. */
export async function archiveObject(env: Env, tenantId: string, day: string) {
  const row = await (await auditLogOf(env, tenantId)).d1
    .prepare("SELECT object_key, sha256 FROM audit_archives WHERE tenant_id = ? AND day = ?")
    .bind(tenantId, day)
    .first<{ object_key: string; sha256: string }>();
  const object = row ? await env.ARCHIVE.get(row.object_key) : null;
  if (!row || !object) throw new NotFoundError("Archived day");
  return { object, sha256: row.sha256, filename: `audit-${tenantId}-${day}.ndjson.gz` };
}

/** Could the day hold events with occurred_at in [from, to)? Its manifest knows; no manifest, maybe. */
async function mayOverlap(env: Env, tenantId: string, day: string, from: number | null, to: number | null) {
  if (from === null && to === null) return true;
  const range = (await getManifest(env, archiveManifestKey(tenantId, day)))?.range;
  if (!range?.from || !range.to) return true;
  return (from === null || Date.parse(range.to) >= from) && (to === null || Date.parse(range.from) < to);
}

/** The last `keep` matching events of one day object below `before`, newest first. */
async function matchesInDay(
  env: Env,
  key: string,
  matches: (e: AuditEvent) => boolean,
  before: number | null,
  keep: number,
): Promise<AuditEvent[]> {
  const object = await env.ARCHIVE.get(key);
  if (!object) throw new Error(`archive object ${key} is missing`);
  const found: AuditEvent[] = [];
  for await (const line of gzipLines(object.body)) {
    const event = JSON.parse(line) as AuditEvent;
    if (before !== null && event.seq >= before) break;
    if (!matches(event)) continue;
    found.push(event);
    if (found.length > keep) found.shift();
  }
  return found.reverse();
}

export async function searchArchive(env: Env, tenantId: string, q: AuditListQuery) {
  filterSql(tenantId, q); // the same 400s as the live search
  const matches = eventPredicate(q);
  const before = q.cursor ? await decodeSeqCursor(tenantId, q.cursor) : null;
  const from = q.from ? Date.parse(q.from) : null;
  const to = q.to ? Date.parse(q.to) : null;
  const { results: days } = await (await auditLogOf(env, tenantId)).d1
    .prepare(
      `SELECT day, object_key, first_seq FROM audit_archives WHERE tenant_id = ?${before === null ? "" : " AND first_seq < ?"}
     ORDER BY first_seq DESC LIMIT ${MAX_DAYS + 1}`,
    )
    .bind(tenantId, ...(before === null ? [] : [before]))
    .all<{ day: string; object_key: string; first_seq: number }>();

  const out: AuditEvent[] = [];
  let files = 0;
  let resumeBefore: number | null = null;
  for (const [i, day] of days.entries()) {
    if (out.length > q.limit) break;
    if (i === MAX_DAYS || files === MAX_FILES) {
      resumeBefore = days[i - 1]?.first_seq ?? null;
      break;
    }
    if (!(await mayOverlap(env, tenantId, day.day, from, to))) continue;
    files += 1;
    out.push(...(await matchesInDay(env, day.object_key, matches, before, q.limit + 1 - out.length)));
  }
  const page = out.slice(0, q.limit);
  const last = page.at(-1);
  let next: number | null = null;
  if (out.length > q.limit && last) next = last.seq;
  else if (resumeBefore !== null) next = resumeBefore;
  return { data: page, next_cursor: next === null ? null : await encodeSeqCursor(tenantId, next) };
}
