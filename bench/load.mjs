// Drives N client threads against one endpoint and measures the timed phase as a whole.
import { Worker } from "node:worker_threads";
import { cpuMeter, latencySummary, round, waitForQuiet, waitServerIdle } from "./lib.mjs";
import { createTenant, disableRules, startServer } from "./server.mjs";

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
    const d1ms = done.flatMap((d) => d.d1?.ms ?? []);
    const d1 = d1ms.length
      ? {
          sql_ms_per_request: latencySummary(d1ms),
          rows_read_per_span: round(done.reduce((n, d) => n + d.d1.rows_read, 0) / spans, 2),
          rows_written_per_span: round(done.reduce((n, d) => n + d.d1.rows_written, 0) / spans, 2),
        }
      : null;
    return {
      seconds: round(seconds, 2),
      spans,
      spans_per_s: Math.round(spans / seconds),
      requests: latencySummary(done.flatMap((d) => d.latencies)),
      errors: { count: errors.length, first: errors[0] ?? null },
      cpu: {
        machine_idle_pct_before: idleBefore,
        ...cpu,
        server_cpu_us_per_span: round((1e6 * (cpu.server_cores_used ?? 0) * seconds) / spans, 1),
      },
      d1,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * One ingest measurement on a fresh server and tenant, with the tenant's governor rules "on" (as
 * new tenants get them) or "off". "Sustained" also counts the background work the server still
 * had after the last response (rule evaluation through the queue): a server that answers faster
 * than it can finish its work is not sustaining that rate.
 * opts: runLoad's, plus { rules, path, contentType }.
 */
export async function ingestRun({ rules, path, contentType, ...opts }) {
  const server = await startServer();
  try {
    const tenant = await createTenant(server.base);
    const disabled = rules === "off" ? await disableRules(server.base, tenant) : 0;
    await waitServerIdle(server.pid); // sign-up's own background work (audit checkpoints) is not ingest's
    const headers = { authorization: `Bearer ${tenant.key}`, "content-type": contentType };
    const load = await runLoad({ ...opts, url: `${server.base}${path}`, headers, serverPgid: server.pid });
    const drain = await waitServerIdle(server.pid);
    const sustained = Math.round(load.spans / (load.seconds + (drain ?? 0)));
    return {
      rules,
      source: server.source,
      rules_disabled: disabled,
      ...load,
      background_drain_s: drain,
      sustained_spans_per_s: sustained,
    };
  } finally {
    await server.stop();
  }
}
