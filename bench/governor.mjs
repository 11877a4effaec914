// Governor rule engine benchmark: span × rule evaluations per second with 50 rules (the default
// packs plus variants) over realistic spans, measured inside workerd. Starts the throwaway Worker in
// bench/governor-worker under `wrangler dev`, asks it for a few runs, reports the median and writes
// bench/results/governor.json. workerd refuses eval/new Function at request time, so a successful
// run also shows that no code generation happens in the engine.
//   node bench/governor.mjs            (GOVERNOR_RUNS=5 GOVERNOR_EVALS=2000000 to change the load)
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { envInt, log, round, writeResult } from "./lib.mjs";
import { ROOT } from "./server.mjs";

const GOAL_EVALS_PER_S = 1_000_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function startWorker() {
  const port = await freePort();
  const args = [
    join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    "--config",
    "bench/governor-worker/wrangler.toml",
  ];
  const child = spawn(
    process.execPath,
    [...args, "--port", String(port), "--ip", "127.0.0.1", "--log-level", "warn"],
    {
      cwd: ROOT,
      detached: true, // own process group, so stop() also ends workerd
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
    },
  );
  const output = [];
  const keep = (d) => output.push(String(d)) > 100 && output.shift();
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const stop = () => stopWorker(child);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler exited (${child.exitCode}):\n${output.join("")}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { base, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`governor bench worker not ready:\n${output.join("")}`);
}

async function stopWorker(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }, 5000);
  await exited;
  clearTimeout(timer);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function query(base, evals) {
  const started = performance.now();
  const res = await fetch(`${base}/?evals=${evals}&rules=50`);
  const text = await res.text();
  if (!res.ok) throw new Error(`bench worker: HTTP ${res.status} ${text}`);
  return { ...JSON.parse(text), wall_ms: performance.now() - started };
}

export async function run() {
  const runs = envInt("GOVERNOR_RUNS", 5);
  const evals = envInt("GOVERNOR_EVALS", 2_000_000);
  log(`governor: ${runs} runs of ≥${evals} evaluations, 50 rules, inside workerd`);
  const worker = await startWorker();
  const samples = [];
  try {
    await query(worker.base, 100_000); // warm the isolate
    for (let i = 0; i < runs; i++) {
      const sample = await query(worker.base, evals);
      log(
        `  run ${i + 1}: ${sample.evals_per_s.toLocaleString("en")} evals/s (${round(sample.elapsed_ms)} ms)`,
      );
      samples.push(sample);
    }
  } finally {
    await worker.stop();
  }
  const last = samples.at(-1);
  const figures = {
    evals_per_s: Math.round(median(samples.map((s) => s.evals_per_s))),
    span_rule_pairs_per_s: Math.round(median(samples.map((s) => s.pairs_per_s))),
    evals_per_s_runs: samples.map((s) => s.evals_per_s),
    goal_evals_per_s: GOAL_EVALS_PER_S,
    met: median(samples.map((s) => s.evals_per_s)) >= GOAL_EVALS_PER_S,
    compile_us_per_rule: round(median(samples.map((s) => s.compile.us_per_rule)), 1),
    default_packs_parse_ms: round(median(samples.map((s) => s.default_packs_parse_ms)), 2),
    rules: last.rules,
    spans_per_pass: last.spans_per_pass,
    outcomes_last_run: last.outcomes,
    codegen_blocked_in_runtime: last.codegen_blocked,
  };
  log(
    `governor: median ${figures.evals_per_s.toLocaleString("en")} evals/s (goal ${GOAL_EVALS_PER_S.toLocaleString("en")}), compile ${figures.compile_us_per_rule} µs/rule`,
  );
  const params = { runs, evals_per_run: evals, rules: 50, runtime: "workerd via wrangler dev" };
  return writeResult("governor", params, figures);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await run();
}
