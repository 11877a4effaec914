// Native ingest throughput: 500-span JSON batches from 4 client threads against `wrangler dev`,
// with the tenant's governor rules on (the default) and off, then the same batches straight into
// SQLite as the ceiling the server is compared with.
import { envInt, log, writeResult } from "./lib.mjs";
import { ingestRun } from "./load.mjs";
import { rawSqliteThroughput } from "./raw-sqlite.mjs";

const SPANS_PER_TRACE = 20;
const BATCH_SPANS = 500;
// WAL + synchronous=NORMAL, like the SQLite under workerd's local D1 (Durable Object storage).
const RAW_PRAGMAS = ["journal_mode = WAL", "synchronous = NORMAL"];

export const rulesVariants = () => (process.env.BENCH_RULES ?? "on,off").split(",").filter(Boolean);

export function printRun(name, r) {
  log(
    `  ${name}, rules ${r.rules}: ${r.spans_per_s} spans/s while sending, ${r.sustained_spans_per_s} sustained (+${r.background_drain_s}s background work after the last response)`,
  );
  log(
    `    request p50 ${r.requests.p50_ms} ms, p99 ${r.requests.p99_ms} ms; server used ${r.cpu.server_cores_used} cores, machine ${r.cpu.machine_busy_pct}% busy`,
  );
  if (r.errors.count) log(`    ERRORS: ${r.errors.count}, first: ${r.errors.first}`);
}

export async function run() {
  const total = envInt("BENCH_SPANS", 200_000);
  const clients = envInt("BENCH_CLIENTS", 4);
  const requests = Math.ceil(total / BATCH_SPANS);
  const args = {
    prefix: `ing${Date.now().toString(36)}`,
    seed: 42,
    traces: BATCH_SPANS / SPANS_PER_TRACE,
    spansPerTrace: SPANS_PER_TRACE,
    startMs: Date.now() - 3_600_000,
    spreadMs: 3_600_000,
  };
  const params = {
    spans: requests * BATCH_SPANS,
    batch_spans: BATCH_SPANS,
    spans_per_trace: SPANS_PER_TRACE,
    clients,
    warmup_batches_per_client: 2,
    rules: rulesVariants(),
    raw_sqlite_pragmas: RAW_PRAGMAS,
  };
  log(`ingest: ${params.spans} spans in ${requests} batches of ${BATCH_SPANS}, ${clients} clients`);
  const figures = {};
  for (const rules of params.rules) {
    figures[`rules_${rules}`] = await ingestRun({
      rules,
      path: "/api/v1/traces/ingest",
      contentType: "application/json",
      module: "./data.mjs",
      exportName: "nativeBody",
      kind: "native",
      prebuild: true,
      args,
      clients,
      requests,
      warmupPerClient: params.warmup_batches_per_client,
    });
    printRun("server", figures[`rules_${rules}`]);
  }
  figures.raw_sqlite = rawSqliteThroughput(args, requests, RAW_PRAGMAS); // no server running now
  for (const rules of params.rules) {
    const ratio = figures[`rules_${rules}`].sustained_spans_per_s / figures.raw_sqlite.spans_per_s;
    figures[`rules_${rules}`].ratio_to_raw = Number(ratio.toFixed(3));
  }
  const ratios = params.rules.map((r) => `rules ${r}: ${figures[`rules_${r}`].ratio_to_raw}`).join(", ");
  log(`  raw SQLite: ${figures.raw_sqlite.spans_per_s} spans/s; sustained/raw ${ratios}`);
  return writeResult("ingest", params, figures);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
