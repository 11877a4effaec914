// Where the time of one 500-span ingest request goes, by subtraction (not part of `npm run bench`;
// run `node bench/profile.mjs`). One client, sequential requests, medians of N, each step adding
// one stage to the one before:
//   health       – GET /healthz: HTTP through wrangler dev's proxy and routing; no auth, no D1
//   auth         – tiny invalid native body: + API-key lookup and an error response
//   read         – the same, padded to a real batch's size: + reading the body bytes
//   validate     – a real batch whose last span is invalid: + JSON.parse and zod over 500 spans
//   store        – the real batch: + normalize and the D1 transaction
//   otlp_decode  – OTLP protobuf whose spans all have zero trace ids: decode, every span rejected
//   otlp_store   – the valid OTLP request: + GenAI mapping, normalize and the D1 transaction
import { nativeBatch } from "./data.mjs";
import { envInt, log, percentile, round, waitForQuiet, writeResult } from "./lib.mjs";
import { otlpBody } from "./otlp-data.mjs";
import { createTenant, disableRules, startServer } from "./server.mjs";

const ARGS = { prefix: "prof", seed: 5, traces: 25, spansPerTrace: 20, startMs: Date.now() - 3_600_000 };
const OTLP_ARGS = { ...ARGS, spreadMs: 3_600_000 };
const WARMUP = 5;

function nativeSteps(i) {
  const batch = nativeBatch(ARGS, i);
  const real = JSON.stringify(batch);
  batch.spans.at(-1).type = "not-a-type";
  return {
    auth: ["{}", 400],
    read: [JSON.stringify({ spans: [], pad: "x".repeat(real.length) }), 400],
    validate: [JSON.stringify(batch), 400],
    store: [real, 200],
  };
}

async function time(url, init, expected) {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const bytes = await res.arrayBuffer();
  if (res.status !== expected) {
    throw new Error(`${url}: expected HTTP ${expected}, got ${res.status} ${Buffer.from(bytes).toString()}`);
  }
  return performance.now() - t0;
}

/** One round: every step once, in order. */
async function round1(base, key, i, ms) {
  const post = (type, body) => ({
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": type },
    body,
  });
  ms.health.push(await time(`${base}/healthz`, {}, 200));
  for (const [step, [body, status]] of Object.entries(nativeSteps(i))) {
    ms[step].push(await time(`${base}/api/v1/traces/ingest`, post("application/json", body), status));
  }
  for (const [step, zeroTraceIds] of [
    ["otlp_decode", true],
    ["otlp_store", false],
  ]) {
    const { body } = otlpBody({ ...OTLP_ARGS, zeroTraceIds }, i);
    ms[step].push(await time(`${base}/v1/traces`, post("application/x-protobuf", body), 200));
  }
}

function derive(med) {
  const d = (a, b) => round(med[a] - med[b], 2);
  return {
    auth_and_error_response: d("auth", "health"),
    read_body: d("read", "auth"),
    parse_and_validate_json: d("validate", "read"),
    normalize_and_store: d("store", "validate"),
    otlp_read_and_decode: d("otlp_decode", "auth"),
    otlp_map_normalize_store: d("otlp_store", "otlp_decode"),
  };
}

export async function run() {
  const n = envInt("BENCH_PROFILE_REQUESTS", 60);
  const server = await startServer();
  try {
    const tenant = await createTenant(server.base);
    const { key } = tenant;
    // Rule evaluation runs after each response and would land inside the next request's time.
    await disableRules(server.base, tenant);
    const idle = await waitForQuiet();
    const ms = { health: [], auth: [], read: [], validate: [], store: [], otlp_decode: [], otlp_store: [] };
    for (let i = 0; i < n + WARMUP; i++) await round1(server.base, key, i, ms);
    const med = Object.fromEntries(
      Object.entries(ms).map(([k, v]) => [k, round(percentile(v.slice(WARMUP), 50), 2)]),
    );
    const figures = { machine_idle_pct_before: idle, median_ms: med, derived_ms: derive(med) };
    log("profile, median ms per 500-span request:");
    for (const [k, v] of Object.entries({ ...med, ...figures.derived_ms })) log(`  ${k.padEnd(26)} ${v}`);
    return writeResult(
      "profile",
      { requests: n, warmup: WARMUP, batch_spans: 500, governor_rules: "off" },
      {
        source: server.source,
        ...figures,
      },
    );
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
