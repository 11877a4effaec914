// OTLP/HTTP protobuf ingest throughput: 500-span ExportTraceServiceRequests built with the real
// OpenTelemetry serializer, POSTed to /v1/traces from 4 client threads.
import { envInt, log, writeResult } from "./lib.mjs";
import { runLoad } from "./load.mjs";
import { createTenant, startServer } from "./server.mjs";

const SPANS_PER_TRACE = 20;
const BATCH_SPANS = 500;

export async function run() {
  const total = envInt("BENCH_OTLP_SPANS", 100_000);
  const clients = envInt("BENCH_CLIENTS", 4);
  const requests = Math.ceil(total / BATCH_SPANS);
  const args = {
    seed: 7,
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
    warmup_requests_per_client: 2,
    content_type: "application/x-protobuf",
  };
  const server = await startServer();
  try {
    const { key } = await createTenant(server.base);
    log(`otlp: ${params.spans} spans in ${requests} protobuf requests of ${BATCH_SPANS}, ${clients} clients`);
    const load = await runLoad({
      url: `${server.base}/v1/traces`,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/x-protobuf" },
      module: "./otlp-data.mjs",
      exportName: "otlpBody",
      kind: "otlp",
      prebuild: true,
      serverPgid: server.pid,
      args,
      clients,
      requests,
      warmupPerClient: params.warmup_requests_per_client,
    });
    log(
      `  server: ${load.spans_per_s} spans/s (${load.spans} spans in ${load.seconds}s), request p50 ${load.requests.p50_ms} ms, p99 ${load.requests.p99_ms} ms`,
    );
    if (load.errors.count) log(`  ERRORS: ${load.errors.count}, first: ${load.errors.first}`);
    log(`  cpu: server used ${load.cpu.server_cores_used} cores, machine ${load.cpu.machine_busy_pct}% busy`);
    return writeResult("otlp", params, { server: load });
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
