// The ceiling for native ingest: the same batches written straight into SQLite (node:sqlite) with
// the rows and the upsert SQL the worker sends to D1 (its own normalize.ts and store.ts). Only the
// transactions are timed.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { nativeBatch } from "./data.mjs";
import { ROOT } from "./server.mjs";
import { importWorker } from "./worker-import.mjs";

// The worker's own code, so the baseline never drifts from it.
const { REFRESH_TRACES, UPSERT_SPANS, UPSERT_TRACES, storeParams } =
  await importWorker("ingest/service/store.ts");
const { UPSERT_AGENTS } = await importWorker("agents/store.ts");
const { normalizeBatch } = await importWorker("ingest/service/normalize.ts");
const { IngestBatch } = await importWorker("ingest/schemas.ts");

/** The bound parameters of one batch, built before timing starts. */
function batchParams(batch) {
  const rows = normalizeBatch(IngestBatch.parse(batch), "t_bench");
  const params = storeParams(rows); // the very text the worker binds
  if (params.traces.length !== 1 || params.spans.length !== 1)
    throw new Error("a bench batch fits one statement");
  return {
    agents: JSON.stringify(rows.agents),
    traces: params.traces[0],
    spans: params.spans[0],
    traceIds: params.traceIds,
    spanCount: rows.spans.length,
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
  refresh: (p, now) => ["t_bench", p.traceIds, now],
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

/** Inserts batches 0..batches-1 of make(args) (default nativeBatch) into a fresh file DB; returns spans/s. */
export function rawSqliteThroughput(args, batches, pragmas, make = nativeBatch) {
  const dir = mkdtempSync(join(tmpdir(), "audittrail-raw-"));
  try {
    const db = openDb(join(dir, "raw.sqlite"), pragmas);
    const stmts = {
      agents: db.prepare(UPSERT_AGENTS),
      traces: db.prepare(UPSERT_TRACES),
      spans: db.prepare(UPSERT_SPANS),
      refresh: db.prepare(REFRESH_TRACES),
    };
    const params = Array.from({ length: batches }, (_, i) => batchParams(make(args, i)));
    const timings = { agents: 0, traces: 0, spans: 0, refresh: 0, commit: 0 };
    const t0 = performance.now();
    for (const p of params) storeBatch(db, stmts, p, timings);
    const seconds = (performance.now() - t0) / 1000;
    const perBatch = Object.fromEntries(
      Object.entries(timings).map(([k, v]) => [k, Number((v / batches).toFixed(2))]),
    );
    const spans = params.reduce((n, p) => n + p.spanCount, 0);
    const stored = db.prepare("SELECT count(*) AS n FROM spans").get().n;
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const { bytes } = db
      .prepare("SELECT page_count * page_size AS bytes FROM pragma_page_count, pragma_page_size")
      .get();
    db.close();
    if (stored !== spans) throw new Error(`raw SQLite stored ${stored} of ${spans} spans`);
    return {
      seconds: Number(seconds.toFixed(2)),
      spans,
      spans_per_s: Math.round(spans / seconds),
      ms_per_batch: perBatch,
      // Tables, indexes and full-text index together: what a span costs to keep in D1.
      stored_bytes_per_span: Math.round(bytes / spans),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
