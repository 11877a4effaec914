import { factFilterClause } from "../analytics/trace-filter";
import type { TraceReader } from "../auth/visibility";
import { batchOf } from "../db/rows";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { NotFoundError } from "../lib/errors";
import { type SpanRow, spanColumns, type TraceRow, toSpan, toTrace, traceColumns } from "./rows";
import type { Span, TraceDetail, TraceListQuery } from "./schemas";
import { treeOrder } from "./tree";

/** Turns free text into an FTS5 query of quoted terms (no operators from users), last one a prefix. */
export function ftsQuery(tenantId: string, text: string): string {
  const terms = text
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 12)
    .map((t) => `"${t.replaceAll('"', '""')}"`);
  if (terms.length) terms[terms.length - 1] += "*";
  return `tenant_id:"${tenantId}" AND {name input output}:(${terms.join(" AND ")})`;
}

/** Only the reader's own traces when it is scoped to one user (a viewer). */
const OWNED = "(?3 IS NULL OR created_by_user_id = ?3)";

function listFilters({ tenantId, owner }: TraceReader, q: TraceListQuery) {
  const where = ["t.tenant_id = ?"];
  const params: (string | number)[] = [tenantId];
  const add = (clause: string, ...values: (string | number)[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (owner !== null) add("t.created_by_user_id = ?", owner);
  if (q.agent) add("t.agent = ?", q.agent);
  if (q.status) add("t.status = ?", q.status);
  if (q.from) add("t.started_at >= ?", Date.parse(q.from));
  if (q.to) add("t.started_at < ?", Date.parse(q.to));
  if (q.min_duration_ms !== undefined) add("t.duration_ms >= ?", q.min_duration_ms);
  if (q.has_violation === "true") add("t.worst_outcome IN ('amber', 'red')");
  if (q.has_violation === "false") add("(t.worst_outcome IS NULL OR t.worst_outcome = 'pass')");
  if (q.tag) add("EXISTS (SELECT 1 FROM json_each(t.tags) WHERE value = ?)", q.tag);
  if (q.model) {
    add(
      "EXISTS (SELECT 1 FROM spans s WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.id AND s.model = ?)",
      q.model,
    );
  }
  const facts = factFilterClause(q);
  if (facts) add(facts.sql, ...facts.params);
  if (q.q) add("t.pk IN (SELECT rowid FROM traces_fts WHERE traces_fts MATCH ?)", ftsQuery(tenantId, q.q));
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    add("(t.started_at < ? OR (t.started_at = ? AND t.id < ?))", at, at, id);
  }
  return { where: where.join(" AND "), params };
}

export async function listTraces(reader: TraceReader, q: TraceListQuery) {
  const { where, params } = listFilters(reader, q);
  const sql = `SELECT ${traceColumns("t")} FROM traces t WHERE ${where} ORDER BY t.started_at DESC, t.id DESC LIMIT ?`;
  const { results } = await reader.db
    .prepare(sql)
    .bind(...params, q.limit + 1)
    .all<TraceRow>();
  const page = results.slice(0, q.limit);
  // The cursor holds the stored time, not the printed one (a bad old row prints clamped).
  const last = results.length > q.limit ? page[page.length - 1] : undefined;
  return {
    data: page.map(toTrace),
    next_cursor: last ? encodeCursor([last.started_at, last.id]) : null,
  };
}

export async function getTraceDetail(reader: TraceReader, id: string): Promise<TraceDetail> {
  const { db, tenantId, owner } = reader;
  const [traceRes, spanRes] = await batchOf<[TraceRow, SpanRow]>(db, [
    db
      .prepare(`SELECT ${traceColumns()} FROM traces WHERE tenant_id = ?1 AND id = ?2 AND ${OWNED}`)
      .bind(tenantId, id, owner),
    db.prepare(`SELECT ${spanColumns()} FROM spans WHERE tenant_id = ? AND trace_id = ?`).bind(tenantId, id),
  ]);
  const row = traceRes.results[0];
  if (!row) throw new NotFoundError("Trace");
  const spans = treeOrder(spanRes.results.map(toSpan));
  const sum = (pick: (s: Span) => number | null) => spans.reduce((n, s) => n + (pick(s) ?? 0), 0);
  return {
    trace: toTrace(row),
    spans,
    totals: {
      spans: spans.length,
      errors: spans.filter((s) => s.status === "error").length,
      input_tokens: sum((s) => s.usage.input_tokens),
      output_tokens: sum((s) => s.usage.output_tokens),
      cost_usd: sum((s) => s.usage.cost_usd),
      max_depth: spans.reduce((m, s) => Math.max(m, s.depth), 0),
    },
  };
}

export async function getTraceSpans(reader: TraceReader, id: string): Promise<Span[]> {
  const { db, tenantId, owner } = reader;
  const [exists, spanRes] = await batchOf<[{ ok: 1 }, SpanRow]>(db, [
    db
      .prepare(`SELECT 1 AS ok FROM traces WHERE tenant_id = ?1 AND id = ?2 AND ${OWNED}`)
      .bind(tenantId, id, owner),
    db.prepare(`SELECT ${spanColumns()} FROM spans WHERE tenant_id = ? AND trace_id = ?`).bind(tenantId, id),
  ]);
  if (!exists.results.length) throw new NotFoundError("Trace");
  return spanRes.results.map(toSpan);
}

async function spanRow({ db, tenantId, owner }: TraceReader, id: string) {
  const row = await db
    .prepare(
      `SELECT ${spanColumns()} FROM spans s WHERE tenant_id = ?1 AND id = ?2
       AND (?3 IS NULL OR EXISTS (SELECT 1 FROM traces t WHERE t.tenant_id = s.tenant_id
         AND t.id = s.trace_id AND t.created_by_user_id = ?3)) LIMIT 1`,
    )
    .bind(tenantId, id, owner)
    .first<SpanRow>();
  if (!row) throw new NotFoundError("Span");
  return row;
}

export async function getSpan(reader: TraceReader, id: string): Promise<Span> {
  return toSpan(await spanRow(reader, id));
}

/** The R2 key holding the whole value of a truncated span field. */
export async function spanPayloadKey(reader: TraceReader, id: string, field: string) {
  const row = await spanRow(reader, id);
  if (!toSpan(row).truncated_fields.includes(field) || row.payload_ref === null) {
    throw new NotFoundError(`Stored payload '${field}' (the field was not truncated)`);
  }
  return `${row.payload_ref}/${field}.json`;
}
