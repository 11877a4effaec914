// OTLP/HTTP protobuf ingest throughput: 500-span ExportTraceServiceRequests built with the real
// OpenTelemetry serializer, POSTed to /v1/traces from 4 client threads; governor rules on and off.
import { printRun, rulesVariants } from "./ingest.mjs";
import { envInt, log, writeResult } from "./lib.mjs";
import { ingestRun } from "./load.mjs";

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
    rules: rulesVariants(),
    content_type: "application/x-protobuf",
  };
  log(`otlp: ${params.spans} spans in ${requests} protobuf requests of ${BATCH_SPANS}, ${clients} clients`);
  const figures = {};
  for (const rules of params.rules) {
    figures[`rules_${rules}`] = await ingestRun({
      rules,
      path: "/v1/traces",
      contentType: params.content_type,
      module: "./otlp-data.mjs",
      exportName: "otlpBody",
      kind: "otlp",
      prebuild: true,
      args,
      clients,
      requests,
      warmupPerClient: params.warmup_requests_per_client,
    });
    printRun("server", figures[`rules_${rules}`]);
  }
  return writeResult("otlp", params, figures);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
