// Load client, run as a worker thread: builds its request bodies, then POSTs them one after
// another when the parent says so, timing each request. Several of these run side by side.
import { parentPort, workerData } from "node:worker_threads";

const { url, headers, module, exportName, args, warmup, timed, prebuild, kind } = workerData;
const build = (await import(module))[exportName];
const MAX_ERRORS = 5; // a broken server should fail the run fast, not after 200k spans

/** Empty OTLP response = everything accepted; native must echo the span count. */
function problem(kind, status, bytes, spans) {
  if (kind === "audit") {
    if (status !== 201) return `HTTP ${status} ${Buffer.from(bytes).toString("utf8").slice(0, 2000)}`;
    const stored = JSON.parse(Buffer.from(bytes).toString("utf8")).data?.length;
    return stored === spans ? null : `recorded ${stored} of ${spans} events`;
  }
  if (status !== 200) return `HTTP ${status} ${Buffer.from(bytes).toString("utf8").slice(0, 2000)}`;
  if (kind === "otlp")
    return bytes.byteLength ? `partial success: ${Buffer.from(bytes).toString("latin1")}` : null;
  const accepted = JSON.parse(Buffer.from(bytes).toString("utf8")).accepted?.spans;
  return accepted === spans ? null : `accepted ${accepted} of ${spans} spans`;
}

/** What D1 spent on the request, from the ingest routes' `Server-Timing` header. */
function d1Timing(res, d1) {
  const header = res.headers.get("server-timing");
  if (!header) return;
  const dur = /(?:^|,\s*)d1;dur=([\d.]+)/.exec(header);
  if (dur) d1.ms.push(Number(dur[1]));
  d1.rows_read += Number(/d1-rows-read;desc="(\d+)"/.exec(header)?.[1] ?? 0);
  d1.rows_written += Number(/d1-rows-written;desc="(\d+)"/.exec(header)?.[1] ?? 0);
}

async function send(indices, bodies) {
  const latencies = [];
  const errors = [];
  const d1 = { ms: [], rows_read: 0, rows_written: 0 };
  let spans = 0;
  for (const index of indices) {
    const { body, spans: n } = bodies?.get(index) ?? build(args, index);
    const t0 = performance.now();
    const res = await fetch(url, { method: "POST", headers, body });
    const bytes = await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    d1Timing(res, d1);
    const p = problem(kind, res.status, bytes, n);
    if (p) errors.push(p);
    else spans += n;
    if (errors.length >= MAX_ERRORS) break;
  }
  return { latencies, errors, spans, d1 };
}

// Building bodies ahead keeps client CPU out of the timed phase (the machine has 2 cores).
const bodies = prebuild ? new Map([...warmup, ...timed].map((i) => [i, build(args, i)])) : null;
parentPort.postMessage({ type: "ready" });
parentPort.on("message", async (phase) => {
  const result = await send(phase === "warmup" ? warmup : timed, bodies);
  parentPort.postMessage({ type: phase, ...result });
  if (phase === "go") parentPort.close();
});
