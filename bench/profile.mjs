// Where the time of one native ingest batch goes, by subtraction (not part of `npm run bench`;
// run `node bench/profile.mjs`). One client, sequential requests, medians of N:
//   health   – GET /healthz: HTTP and routing through wrangler dev, no auth, no D1
//   auth     – tiny invalid body: routing, API-key lookup, error response
//   read     – same, padded to the size of a real batch: + reading the body bytes
//   validate – a real batch whose last span is invalid: + JSON.parse and zod over all 500 spans
//   store    – the real batch: + normalize and the D1 transaction
import { nativeBatch } from "./data.mjs";
import { envInt, log, percentile, round, waitForQuiet, writeResult } from "./lib.mjs";
import { createTenant, startServer } from "./server.mjs";

const ARGS = {
  prefix: "prof",
  seed: 5,
  traces: 25,
  spansPerTrace: 20,
  startMs: Date.now() - 3_600_000,
  spreadMs: 3_600_000,
};

function bodies(i) {
  const batch = nativeBatch(ARGS, i);
  const real = JSON.stringify(batch);
  batch.spans.at(-1).type = "not-a-type";
  return {
    auth: "{}",
    read: JSON.stringify({ spans: [], pad: "x".repeat(real.length) }),
    validate: JSON.stringify(batch),
    store: real,
  };
}

async function time(url, key, body, expected) {
  const t0 = performance.now();
  const post = {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body,
  };
  const res = await fetch(url, body === undefined ? {} : post);
  const text = await res.text();
  if (res.status !== expected)
    throw new Error(`expected HTTP ${expected}, got ${res.status} ${text.slice(0, 500)}`);
  return performance.now() - t0;
}

export async function run() {
  const n = envInt("BENCH_PROFILE_REQUESTS", 60);
  const server = await startServer();
  try {
    const { key } = await createTenant(server.base);
    const url = `${server.base}/api/v1/traces/ingest`;
    const idle = await waitForQuiet();
    const ms = { health: [], auth: [], read: [], validate: [], store: [] };
    for (let i = 0; i < n; i++) {
      const b = bodies(i);
      ms.health.push(await time(`${server.base}/healthz`, key, undefined, 200));
      for (const step of ["auth", "read", "validate"]) ms[step].push(await time(url, key, b[step], 400));
      ms.store.push(await time(url, key, b.store, 200));
    }
    const med = Object.fromEntries(
      Object.entries(ms).map(([k, v]) => [k, round(percentile(v.slice(5), 50), 2)]),
    );
    const figures = {
      machine_idle_pct_before: idle,
      median_ms: med,
      derived_ms: {
        auth_and_error_response: round(med.auth - med.health, 2),
        read_body: round(med.read - med.auth, 2),
        parse_and_validate: round(med.validate - med.read, 2),
        normalize_and_store: round(med.store - med.validate, 2),
      },
    };
    log("profile (median ms per 500-span batch):", JSON.stringify(figures));
    return writeResult("profile", { requests: n, warmup: 5, batch_spans: 500 }, figures);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
