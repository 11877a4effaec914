// CPU profile of the worker under ingest load, through wrangler dev's inspector (Chrome DevTools
// protocol). Not part of `npm run bench`; run `node bench/cpu-profile.mjs [native|otlp] [rules on|off]`.
// Prints self time by function and by source file, and writes the profile (load the .cpuprofile.json into DevTools).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { envInt, log, RESULTS_DIR, round, writeResult } from "./lib.mjs";
import { runLoad } from "./load.mjs";
import { createTenant, disableRules, startServer } from "./server.mjs";

async function connect(port) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  // The inspector proxy wants a local Origin (undici sends none by default).
  const ws = new WebSocket(target.webSocketDebuggerUrl, { headers: { origin: "http://127.0.0.1" } });
  let nextId = 1;
  const pending = new Map();
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.id && pending.has(msg.id)) pending.get(msg.id)(msg);
  };
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (m) => (m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result)));
      ws.send(JSON.stringify({ id, method, params }));
    });
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve({ send, close: () => ws.close() });
    ws.onerror = () => reject(new Error(`cannot reach the inspector on port ${port}`));
  });
}

/** Self time per key (function or file), as % of all samples. */
function selfTime(profile, keyOf) {
  const hits = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const key = keyOf(node.callFrame);
    hits.set(key, (hits.get(key) ?? 0) + node.hitCount);
    total += node.hitCount;
  }
  return [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([key, n]) => ({ key, pct: round((100 * n) / total) }));
}

const fileOf = (f) =>
  f.url ? f.url.replace(/^.*\/(worker|node_modules)\//, "$1/") : f.functionName || "(native)";
const fnOf = (f) => `${f.functionName || "(anonymous)"} ${fileOf(f)}:${f.lineNumber + 1}`;

const LOADS = {
  tree: {
    path: "/api/v1/traces/ingest",
    type: "application/json",
    module: "./data.mjs",
    exportName: "treeBody",
  },
  native: {
    path: "/api/v1/traces/ingest",
    type: "application/json",
    module: "./data.mjs",
    exportName: "nativeBody",
  },
  otlp: {
    path: "/v1/traces",
    type: "application/x-protobuf",
    module: "./otlp-data.mjs",
    exportName: "otlpBody",
  },
};

export async function run(kind = "native", rules = "on") {
  const spec = LOADS[kind];
  const requests = Math.ceil(envInt("BENCH_PROFILE_SPANS", 50_000) / 500);
  const server = await startServer();
  try {
    const tenant = await createTenant(server.base);
    const { key } = tenant;
    if (rules === "off") await disableRules(server.base, tenant);
    const inspector = await connect(server.inspectorPort);
    await inspector.send("Profiler.enable");
    await inspector.send("Profiler.setSamplingInterval", { interval: 200 }); // µs
    const args = {
      prefix: `prof-${kind}`,
      seed: 9,
      traces: 25,
      spansPerTrace: 20,
      spans: 500,
      startMs: Date.now() - 3_600_000,
      spreadMs: 3_600_000,
    };
    const load = {
      url: `${server.base}${spec.path}`,
      headers: { authorization: `Bearer ${key}`, "content-type": spec.type },
      module: spec.module,
      exportName: spec.exportName,
      kind,
      prebuild: true,
      serverPgid: server.pid,
      args,
      clients: 4,
      requests,
    };
    await inspector.send("Profiler.start");
    const result = await runLoad(load);
    const { profile } = await inspector.send("Profiler.stop");
    inspector.close();
    writeFileSync(
      join(RESULTS_DIR, `cpu-profile-${kind}-rules-${rules}.cpuprofile.json`),
      JSON.stringify(profile),
    );
    const figures = {
      load: result,
      by_file: selfTime(profile, fileOf),
      by_function: selfTime(profile, fnOf),
    };
    log(`${kind}: ${result.spans_per_s} spans/s while profiling; self time by file:`);
    for (const { key, pct } of figures.by_file.slice(0, 12)) log(`  ${String(pct).padStart(5)}%  ${key}`);
    log("by function:");
    for (const { key, pct } of figures.by_function.slice(0, 20)) log(`  ${String(pct).padStart(5)}%  ${key}`);
    return writeResult(
      `cpu-profile-${kind}-rules-${rules}`,
      { rules, requests, batch_spans: 500, sampling_us: 200 },
      figures,
    );
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv[2], process.argv[3]);
