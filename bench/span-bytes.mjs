// Bytes a span costs in D1: the worker's own schema (migrations/, FTS and indexes included) and
// ingest statements (as bench/raw-sqlite.mjs), run into a local SQLite file with node:sqlite, then
// measured page by page with SQLite's dbstat table. `node bench/span-bytes.mjs` prints it; the
// scale simulation (scripts/simulate-scale.mjs --measure) uses it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { nativeBatch } from "./data.mjs";
import { importWorker } from "./worker-import.mjs";

const ROOT = join(import.meta.dirname, "..");
const { REFRESH_TRACES, UPSERT_SPANS, UPSERT_TRACES } = await importWorker("ingest/service/store.ts");
const { UPSERT_AGENTS } = await importWorker("agents/store.ts");
const { normalizeBatch } = await importWorker("ingest/service/normalize.ts");
const { IngestBatch } = await importWorker("ingest/schemas.ts");

/** Which part of the schema a table or index belongs to, for the breakdown. */
function partOf(name, tbl) {
  if (name.startsWith("traces_fts") || tbl.startsWith("traces_fts") || name.startsWith("spans_fts"))
    return "fts";
  if (name === tbl) return `table:${tbl}`;
  return `index:${tbl}`;
}

export function measureSpanBytes({ batches = 40, spansPerTrace = 20, tracesPerBatch = 25 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "audittrail-bytes-"));
  try {
    const file = join(dir, "bytes.sqlite");
    const db = new DatabaseSync(file);
    const migrations = join(ROOT, "migrations");
    for (const f of readdirSync(migrations)
      .filter((n) => n.endsWith(".sql"))
      .sort())
      db.exec(readFileSync(join(migrations, f), "utf8"));
    const stmts = [UPSERT_AGENTS, UPSERT_TRACES, UPSERT_SPANS, REFRESH_TRACES].map((s) => db.prepare(s));
    const args = {
      prefix: "bytes",
      seed: 7,
      traces: tracesPerBatch,
      spansPerTrace,
      startMs: Date.UTC(2026, 10, 1),
    };
    let spans = 0;
    for (let i = 0; i < batches; i++) {
      const rows = normalizeBatch(IngestBatch.parse(nativeBatch(args, i)), "t_bytes");
      const now = Date.now();
      db.exec("BEGIN");
      stmts[0].all("t_bytes", now, JSON.stringify(rows.agents));
      stmts[1].all("t_bytes", "k_bytes", "u_bytes", now, JSON.stringify(rows.traces));
      stmts[2].all("t_bytes", now, JSON.stringify(rows.spans));
      stmts[3].all("t_bytes", JSON.stringify(rows.traceIds), now);
      db.exec("COMMIT");
      spans += rows.spans.length;
    }
    const empty = new DatabaseSync(join(dir, "empty.sqlite"));
    for (const f of readdirSync(migrations)
      .filter((n) => n.endsWith(".sql"))
      .sort())
      empty.exec(readFileSync(join(migrations, f), "utf8"));
    const baseline = new Map(
      empty
        .prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name")
        .all()
        .map((r) => [r.name, r.bytes]),
    );
    empty.close();
    const objects = db
      .prepare(
        `SELECT d.name AS name, COALESCE(m.tbl_name, d.name) AS tbl, sum(d.pgsize) AS bytes, sum(d.unused) AS unused
         FROM dbstat d LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY d.name`,
      )
      .all();
    const parts = {};
    let total = 0;
    for (const o of objects) {
      const bytes = o.bytes - (baseline.get(o.name) ?? 0);
      if (bytes <= 0) continue;
      const part = partOf(o.name, o.tbl);
      parts[part] = (parts[part] ?? 0) + bytes;
      total += bytes;
    }
    db.close();
    const perSpan = Object.fromEntries(
      Object.entries(parts)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, Math.round(v / spans)]),
    );
    return {
      spans,
      spans_per_trace: spansPerTrace,
      bytes_per_span: Math.round(total / spans),
      file_bytes_per_span: Math.round(statSync(file).size / spans),
      breakdown_bytes_per_span: perSpan,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(measureSpanBytes(), null, 2));
}
