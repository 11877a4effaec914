// Native ingest throughput: 500-span JSON batches from 4 client threads against `wrangler dev`, in
// two shapes (25 traces of 20 spans; one trace of a 500-span 4-ary tree, as agents with many tool
// calls send), with the tenant's governor rules on (the default) and off; then the same batches
// straight into SQLite, the ceiling the server is compared with; then the Worker's CPU outside SQL,
// stage by stage (bench/ingest-cpu.mjs).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { nativeBatch, treeBatch } from "./data.mjs";
import { envInt, log, RESULTS_DIR, round, writeResult } from "./lib.mjs";
import { ingestRun } from "./load.mjs";
import { rawSqliteThroughput } from "./raw-sqlite.mjs";

const BATCH_SPANS = 500;
// WAL + synchronous=NORMAL, like the SQLite under workerd's local D1 (Durable Object storage).
const RAW_PRAGMAS = ["journal_mode = WAL", "synchronous = NORMAL"];

export const SHAPES = {
  traces_of_20: {
    exportName: "nativeBody",
    make: nativeBatch,
    args: { traces: BATCH_SPANS / 20, spansPerTrace: 20 },
  },
  tree_of_500: { exportName: "treeBody", make: treeBatch, args: { spans: BATCH_SPANS } },
};

export const rulesVariants = () => (process.env.BENCH_RULES ?? "on,off").split(",").filter(Boolean);
const shapeVariants = () =>
  (process.env.BENCH_SHAPES ?? Object.keys(SHAPES).join(",")).split(",").filter(Boolean);

export function printRun(name, r) {
  log(
    `  ${name}, rules ${r.rules}: ${r.spans_per_s} spans/s while sending, ${r.sustained_spans_per_s} sustained (+${r.background_drain_s}s background work after the last response)`,
  );
  log(
    `    request p50 ${r.requests.p50_ms} ms, p99 ${r.requests.p99_ms} ms; server used ${r.cpu.server_cores_used} cores (${r.cpu.server_cpu_us_per_span} µs CPU per span), machine ${r.cpu.machine_busy_pct}% busy`,
  );
  if (r.d1) {
    log(
      `    D1 (result meta): ${r.d1.sql_ms_per_request.p50_ms} ms SQL per batch (p50), ${r.d1.rows_written_per_span} rows written and ${r.d1.rows_read_per_span} read per span`,
    );
  }
  if (r.errors.count) log(`    ERRORS: ${r.errors.count}, first: ${r.errors.first}`);
}

/** bench/ingest-cpu.mjs in its own Node (worker TS with parameter properties needs transform-types). */
function workerCpu() {
  const run = spawnSync(
    process.execPath,
    ["--experimental-transform-types", "--no-warnings", join(import.meta.dirname, "ingest-cpu.mjs")],
    {
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (run.status !== 0) throw new Error("bench/ingest-cpu.mjs failed");
  return JSON.parse(readFileSync(join(RESULTS_DIR, "ingest-cpu.json"), "utf8")).figures;
}

async function shapeRun(shape, rulesList, total, clients) {
  const spec = SHAPES[shape];
  const requests = Math.ceil(total / BATCH_SPANS);
  const args = {
    prefix: `ing${Date.now().toString(36)}`,
    seed: 42,
    startMs: Date.now() - 3_600_000,
    spreadMs: 3_600_000,
    ...spec.args,
  };
  const figures = {};
  for (const rules of rulesList) {
    figures[`rules_${rules}`] = await ingestRun({
      rules,
      path: "/api/v1/traces/ingest",
      contentType: "application/json",
      module: "./data.mjs",
      exportName: spec.exportName,
      kind: "native",
      prebuild: true,
      args,
      clients,
      requests,
      warmupPerClient: 2,
    });
    printRun(`server, ${shape}`, figures[`rules_${rules}`]);
  }
  figures.raw_sqlite = rawSqliteThroughput(args, requests, RAW_PRAGMAS, spec.make); // no server running now
  const rawMs = Object.values(figures.raw_sqlite.ms_per_batch).reduce((a, b) => a + b, 0);
  figures.raw_sqlite.ms_per_batch_total = round(rawMs, 2);
  for (const rules of rulesList) {
    const r = figures[`rules_${rules}`];
    r.ratio_to_raw = Number((r.sustained_spans_per_s / figures.raw_sqlite.spans_per_s).toFixed(3));
    if (r.d1) r.d1.sql_ms_vs_raw = Number((r.d1.sql_ms_per_request.p50_ms / rawMs).toFixed(2));
  }
  const ratios = rulesList.map((r) => `rules ${r}: ${figures[`rules_${r}`].ratio_to_raw}`).join(", ");
  log(
    `  raw SQLite, ${shape}: ${figures.raw_sqlite.spans_per_s} spans/s (${round(rawMs, 2)} ms per batch); sustained/raw ${ratios}`,
  );
  return figures;
}

export async function run() {
  const total = envInt("BENCH_SPANS", 200_000);
  const clients = envInt("BENCH_CLIENTS", 4);
  const params = {
    spans: Math.ceil(total / BATCH_SPANS) * BATCH_SPANS,
    batch_spans: BATCH_SPANS,
    shapes: shapeVariants(),
    clients,
    warmup_batches_per_client: 2,
    rules: rulesVariants(),
    raw_sqlite_pragmas: RAW_PRAGMAS,
  };
  log(
    `ingest: ${params.spans} spans per run in batches of ${BATCH_SPANS}, ${clients} clients, shapes ${params.shapes.join(", ")}`,
  );
  const figures = {};
  for (const shape of params.shapes) figures[shape] = await shapeRun(shape, params.rules, total, clients);
  figures.worker_cpu = workerCpu();
  return writeResult("ingest", params, figures);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
