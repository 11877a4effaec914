// Native ingest throughput: 500-span JSON batches from 4 client threads against `wrangler dev`,
// then the same batches straight into SQLite as the ceiling the server is compared with.
import { envInt, log, writeResult } from "./lib.mjs";
import { runLoad } from "./load.mjs";
import { rawSqliteThroughput } from "./raw-sqlite.mjs";
import { createTenant, startServer } from "./server.mjs";

const SPANS_PER_TRACE = 20;
const BATCH_SPANS = 500;
// WAL + synchronous=NORMAL, like the SQLite under workerd's local D1 (Durable Object storage).
const RAW_PRAGMAS = ["journal_mode = WAL", "synchronous = NORMAL"];

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
    raw_sqlite_pragmas: RAW_PRAGMAS,
  };
  const server = await startServer();
  let load;
  try {
    const { key } = await createTenant(server.base);
    log(`ingest: ${params.spans} spans in ${requests} batches of ${BATCH_SPANS}, ${clients} clients`);
    load = await runLoad({
      url: `${server.base}/api/v1/traces/ingest`,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      module: "./data.mjs",
      exportName: "nativeBody",
      kind: "native",
      prebuild: true,
      serverPgid: server.pid,
      args,
      clients,
      requests,
      warmupPerClient: params.warmup_batches_per_client,
    });
  } finally {
    await server.stop(); // before the raw run, so the two never share the CPU
  }
  const raw = rawSqliteThroughput(args, requests, RAW_PRAGMAS);
  const figures = {
    server: load,
    raw_sqlite: raw,
    ratio_to_raw: Number((load.spans_per_s / raw.spans_per_s).toFixed(3)),
  };
  print(figures);
  return writeResult("ingest", params, figures);
}

function print({ server: s, raw_sqlite: raw, ratio_to_raw }) {
  log(
    `  server:     ${s.spans_per_s} spans/s (${s.spans} spans in ${s.seconds}s), batch p50 ${s.requests.p50_ms} ms, p99 ${s.requests.p99_ms} ms`,
  );
  if (s.errors.count) log(`  ERRORS: ${s.errors.count}, first: ${s.errors.first}`);
  log(`  cpu: server used ${s.cpu.server_cores_used} cores, machine ${s.cpu.machine_busy_pct}% busy`);
  log(`  raw SQLite: ${raw.spans_per_s} spans/s; ratio ${ratio_to_raw}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
