// The ceiling for native ingest: the same batches written straight into SQLite (node:sqlite) with
// the same upsert SQL the worker sends to D1 (copied from worker/ingest/service/store.ts — the
// bench imports nothing from worker/). Only the transactions are timed.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { nativeBatch } from "./data.mjs";
import { ROOT } from "./server.mjs";

const col = (i) => `value ->> '$[${i}]'`;

const UPSERT_AGENTS = `INSERT INTO agents (tenant_id, name, first_seen_at, last_seen_at)
SELECT ?1, value, ?2, ?2 FROM json_each(?3) WHERE true
ON CONFLICT (tenant_id, name) DO UPDATE SET last_seen_at = excluded.last_seen_at`;

const UPSERT_TRACES = `INSERT INTO traces (tenant_id, id, agent, name, started_at, ended_at, duration_ms, status,
  input, output, user_id, session_id, metadata, tags, truncated_fields, payload_ref, placeholder, api_key_id,
  created_by_user_id, created_at, updated_at)
SELECT ?1, ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)}, ${col(4)} - ${col(3)}, ${col(5)},
  ${col(6)}, ${col(7)}, ${col(8)}, ${col(9)}, ${col(10)}, ${col(11)}, ${col(12)}, ${col(13)}, 0, ?2, ?3, ?4, ?4
FROM json_each(?5) WHERE true
ON CONFLICT (tenant_id, id) DO UPDATE SET agent = excluded.agent, name = coalesce(excluded.name, traces.name),
  started_at = excluded.started_at, ended_at = coalesce(excluded.ended_at, traces.ended_at),
  duration_ms = coalesce(excluded.ended_at, traces.ended_at) - excluded.started_at,
  status = CASE WHEN excluded.status = 'unset' THEN traces.status ELSE excluded.status END,
  input = coalesce(excluded.input, traces.input), output = coalesce(excluded.output, traces.output),
  user_id = coalesce(excluded.user_id, traces.user_id), session_id = coalesce(excluded.session_id, traces.session_id),
  metadata = coalesce(excluded.metadata, traces.metadata), tags = coalesce(excluded.tags, traces.tags),
  truncated_fields = coalesce(excluded.truncated_fields, traces.truncated_fields),
  payload_ref = coalesce(excluded.payload_ref, traces.payload_ref), placeholder = 0,
  api_key_id = coalesce(traces.api_key_id, excluded.api_key_id),
  created_by_user_id = coalesce(traces.created_by_user_id, excluded.created_by_user_id),
  updated_at = excluded.updated_at
RETURNING id, created_at = updated_at AS is_new`;

const MERGED = [
  "parent_id",
  "error_type",
  "error_message",
  "input",
  "output",
  "model",
  "provider",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "tool_name",
  "tool_arguments",
  "tool_result",
  "truncated_fields",
  "payload_ref",
].map((c) => `${c} = coalesce(excluded.${c}, spans.${c})`);

const UPSERT_SPANS = `INSERT INTO spans (tenant_id, trace_id, id, parent_id, type, name, started_at, ended_at,
  duration_ms, status, error_type, error_message, input, output, model, provider, input_tokens, output_tokens,
  cost_usd, tool_name, tool_arguments, tool_result, attributes, truncated_fields, payload_ref, created_at, updated_at)
SELECT ?1, ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)}, ${col(5)}, ${col(6)}, ${col(6)} - ${col(5)},
  ${col(7)}, ${col(8)}, ${col(9)}, ${col(10)}, ${col(11)}, ${col(12)}, ${col(13)}, ${col(14)}, ${col(15)},
  ${col(16)}, ${col(17)}, ${col(18)}, ${col(19)}, ${col(20)}, ${col(21)}, ${col(22)}, ?2, ?2
FROM json_each(?3) WHERE true
ON CONFLICT (tenant_id, trace_id, id) DO UPDATE SET type = excluded.type, name = excluded.name,
  started_at = excluded.started_at, ended_at = coalesce(excluded.ended_at, spans.ended_at),
  duration_ms = coalesce(excluded.ended_at, spans.ended_at) - excluded.started_at,
  status = CASE WHEN excluded.status = 'unset' THEN spans.status ELSE excluded.status END,
  ${MERGED.join(", ")},
  attributes = CASE WHEN spans.attributes IS NULL THEN excluded.attributes
    WHEN excluded.attributes IS NULL THEN spans.attributes
    ELSE json_patch(spans.attributes, excluded.attributes) END,
  updated_at = excluded.updated_at
RETURNING id, created_at = updated_at AS is_new`;

const REFRESH_TRACES = `UPDATE traces SET
  span_count = a.n, error_count = a.errors, input_tokens = a.input_tokens, output_tokens = a.output_tokens,
  cost_usd = a.cost, models = a.models,
  started_at = CASE WHEN traces.placeholder = 1 THEN a.first_start ELSE traces.started_at END,
  ended_at = CASE WHEN traces.placeholder = 1 THEN a.last_end ELSE traces.ended_at END,
  duration_ms = CASE WHEN traces.placeholder = 1 THEN a.last_end - a.first_start ELSE traces.duration_ms END,
  status = CASE WHEN traces.status = 'unset' AND a.errors > 0 THEN 'error' ELSE traces.status END
FROM (
  SELECT trace_id, count(*) AS n, sum(status = 'error') AS errors,
    coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
    coalesce(sum(cost_usd), 0) AS cost, group_concat(DISTINCT model) AS models,
    min(started_at) AS first_start, max(ended_at) AS last_end
  FROM spans WHERE tenant_id = ?1 AND trace_id IN (SELECT value FROM json_each(?2))
  GROUP BY trace_id
) AS a
WHERE traces.tenant_id = ?1 AND traces.id IN (SELECT value FROM json_each(?2)) AND traces.id = a.trace_id`;

const json = (v) => (v === undefined || v === null ? null : JSON.stringify(v));
const ms = (t) => (t === undefined ? null : Date.parse(t));
// Stand-in for the server's price table: the cost only needs to be a plausible number.
const cost = (u) => (u ? ((u.input_tokens ?? 0) * 0.15 + (u.output_tokens ?? 0) * 0.6) / 1e6 : null);

function traceRow(t) {
  return [
    t.id,
    t.agent,
    t.name ?? null,
    ms(t.started_at),
    ms(t.ended_at),
    t.status ?? "unset",
    json(t.input),
    json(t.output),
    t.user_id ?? null,
    t.session_id ?? null,
    json(t.metadata),
    json(t.tags),
    null,
    null,
  ];
}

function spanRow(s) {
  return [
    s.trace_id,
    s.id,
    s.parent_id ?? null,
    s.type,
    s.name,
    ms(s.started_at),
    ms(s.ended_at),
    s.status ?? "unset",
    s.error?.type ?? null,
    s.error?.message ?? null,
    json(s.input),
    json(s.output),
    s.model ?? null,
    s.provider ?? null,
    s.usage?.input_tokens ?? null,
    s.usage?.output_tokens ?? null,
    cost(s.usage),
    s.tool?.name ?? null,
    json(s.tool?.arguments),
    json(s.tool?.result),
    json(s.attributes),
    null,
    null,
  ];
}

/** The bound parameters of one batch, built before timing starts. */
function batchParams(batch) {
  return {
    agents: JSON.stringify([...new Set(batch.traces.map((t) => t.agent))]),
    traces: JSON.stringify(batch.traces.map(traceRow)),
    spans: JSON.stringify(batch.spans.map(spanRow)),
    traceIds: JSON.stringify(batch.traces.map((t) => t.id)),
    spanCount: batch.spans.length,
  };
}

function openDb(file, pragmas) {
  const db = new DatabaseSync(file);
  for (const p of pragmas) db.exec(`PRAGMA ${p}`);
  const dir = join(ROOT, "migrations");
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith(".sql"))
    .sort()) {
    db.exec(readFileSync(join(dir, f), "utf8")); // `--> statement-breakpoint` lines are SQL comments
  }
  return db;
}

const BINDINGS = {
  agents: (p, now) => ["t_bench", now, p.agents],
  traces: (p, now) => ["t_bench", "k_bench", "u_bench", now, p.traces],
  spans: (p, now) => ["t_bench", now, p.spans],
  refresh: (p) => ["t_bench", p.traceIds],
};

/** One transaction, like the worker's D1 batch; adds each statement's time to `timings`. */
function storeBatch(db, stmts, p, timings) {
  const now = Date.now();
  db.exec("BEGIN");
  for (const [step, bind] of Object.entries(BINDINGS)) {
    const t0 = performance.now();
    stmts[step].all(...bind(p, now)); // all(): the upserts RETURN which rows are new, like the worker's
    timings[step] += performance.now() - t0;
  }
  const t0 = performance.now();
  db.exec("COMMIT");
  timings.commit += performance.now() - t0;
}

/** Inserts batches 0..batches-1 of nativeBatch(args) into a fresh file DB; returns spans/s. */
export function rawSqliteThroughput(args, batches, pragmas) {
  const dir = mkdtempSync(join(tmpdir(), "audittrail-raw-"));
  try {
    const db = openDb(join(dir, "raw.sqlite"), pragmas);
    const stmts = {
      agents: db.prepare(UPSERT_AGENTS),
      traces: db.prepare(UPSERT_TRACES),
      spans: db.prepare(UPSERT_SPANS),
      refresh: db.prepare(REFRESH_TRACES),
    };
    const params = Array.from({ length: batches }, (_, i) => batchParams(nativeBatch(args, i)));
    const timings = { agents: 0, traces: 0, spans: 0, refresh: 0, commit: 0 };
    const t0 = performance.now();
    for (const p of params) storeBatch(db, stmts, p, timings);
    const seconds = (performance.now() - t0) / 1000;
    const perBatch = Object.fromEntries(
      Object.entries(timings).map(([k, v]) => [k, Number((v / batches).toFixed(2))]),
    );
    const spans = params.reduce((n, p) => n + p.spanCount, 0);
    const stored = db.prepare("SELECT count(*) AS n FROM spans").get().n;
    db.close();
    if (stored !== spans) throw new Error(`raw SQLite stored ${stored} of ${spans} spans`);
    return {
      seconds: Number(seconds.toFixed(2)),
      spans,
      spans_per_s: Math.round(spans / seconds),
      ms_per_batch: perBatch,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
