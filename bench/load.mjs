// Drives N client threads against one endpoint and measures the timed phase as a whole.
import { Worker } from "node:worker_threads";
import { cpuMeter, latencySummary, round, waitForQuiet } from "./lib.mjs";

const CLIENT = new URL("./client.mjs", import.meta.url);

function phase(workers, name) {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          const onMessage = (m) => {
            if (m.type !== name) return;
            w.off("message", onMessage);
            resolve(m);
          };
          w.on("message", onMessage);
          w.once("error", reject);
          if (name !== "ready") w.postMessage(name);
        }),
    ),
  );
}

/**
 * opts: { url, headers, module, exportName, args, clients, requests, first, warmupPerClient, prebuild,
 * kind, serverPgid, quiet (false: do not wait for an idle machine) }.
 * Request indices first..first+requests-1 are dealt round-robin, so clients share the work evenly.
 */
export async function runLoad(opts) {
  const { clients, requests, first = 0, warmupPerClient = 0 } = opts;
  const workers = Array.from({ length: clients }, (_, c) => {
    const timed = [];
    for (let i = first + c; i < first + requests; i += clients) timed.push(i);
    // Negative indices: warm-up batches never collide with timed ones, whatever `first` is.
    const warmup = Array.from({ length: warmupPerClient }, (_, k) => -1 - c * warmupPerClient - k);
    const data = { ...opts, module: new URL(opts.module, import.meta.url).href, warmup, timed };
    return new Worker(CLIENT, { workerData: data });
  });
  try {
    await phase(workers, "ready");
    if (warmupPerClient) {
      const warm = (await phase(workers, "warmup")).flatMap((d) => d.errors);
      if (warm.length) throw new Error(`warm-up request failed: ${warm[0]}`);
    }
    const idleBefore = opts.quiet === false ? null : await waitForQuiet();
    const meter = cpuMeter(opts.serverPgid);
    const t0 = performance.now();
    const done = await phase(workers, "go");
    const seconds = (performance.now() - t0) / 1000;
    const cpu = meter();
    const spans = done.reduce((n, d) => n + d.spans, 0);
    const errors = done.flatMap((d) => d.errors);
    return {
      seconds: round(seconds, 2),
      spans,
      spans_per_s: Math.round(spans / seconds),
      requests: latencySummary(done.flatMap((d) => d.latencies)),
      errors: { count: errors.length, first: errors[0] ?? null },
      cpu: { machine_idle_pct_before: idleBefore, ...cpu },
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
