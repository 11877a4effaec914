// The ceiling for native ingest: the same batches written straight into SQLite (node:sqlite) with
// the same upsert SQL the worker sends to D1 (imported from worker/ingest/service/store.ts). Only
// the transactions are timed.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
// The worker's own SQL (Node strips the TypeScript types), so the baseline never drifts from it.
import {
  REFRESH_TRACES,
  UPSERT_AGENTS,
  UPSERT_SPANS,
  UPSERT_TRACES,
} from "../worker/ingest/service/store.ts";
import { nativeBatch } from "./data.mjs";
import { ROOT } from "./server.mjs";

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
