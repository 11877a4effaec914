// Shared helpers: percentiles, environment description, result files.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { ROOT } from "./server.mjs";

export const RESULTS_DIR = join(ROOT, "bench/results");

/** Nearest-rank percentile of an unsorted list. */
export function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (n, digits = 1) => (n == null ? null : Number(n.toFixed(digits)));

export function latencySummary(ms) {
  return {
    count: ms.length,
    p50_ms: round(percentile(ms, 50)),
    p95_ms: round(percentile(ms, 95)),
    p99_ms: round(percentile(ms, 99)),
    max_ms: round(Math.max(...ms)),
  };
}

export function envInfo() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu_count: availableParallelism(),
    cpu_model: cpus()[0]?.model ?? "unknown",
  };
}

/** Writes bench/results/<name>.json and returns what it wrote. */
export function writeResult(name, params, figures) {
  const result = { name, ...envInfo(), params, figures };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

export function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

export const log = (...args) => console.log(...args);

/** Busy and total CPU ticks of the whole machine (all cores). */
function machineTicks() {
  let busy = 0;
  let total = 0;
  for (const { times: t } of cpus()) {
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/** CPU seconds used so far by every process in a process group (Linux /proc; null elsewhere). */
/** CPU seconds used so far by each program (workerd, node) of a process group. */
function groupCpuByProgram(pgid) {
  if (!pgid || !existsSync("/proc/self/stat")) return null;
  const ticks = {};
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      // Fields after "comm)": state ppid pgrp ... utime(14) stime(15), 1-based in proc(5).
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const program = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      if (Number(f[2]) === pgid) ticks[program] = (ticks[program] ?? 0) + Number(f[11]) + Number(f[12]);
    } catch {} // the process ended meanwhile
  }
  return Object.fromEntries(Object.entries(ticks).map(([k, t]) => [k, t / 100])); // USER_HZ is 100
}

function groupCpuSeconds(pgid) {
  const byProgram = groupCpuByProgram(pgid);
  return byProgram && Object.values(byProgram).reduce((a, b) => a + b, 0);
}

/**
 * Start a CPU meter; stop() says how busy the machine was and how many cores the server
 * process group and the bench clients used. A busy machine with an idle server means someone else was using the CPU.
 */
export function cpuMeter(serverPgid) {
  const m0 = machineTicks();
  const s0 = groupCpuSeconds(serverPgid);
  const p0 = groupCpuByProgram(serverPgid);
  const c0 = process.cpuUsage(); // this process, client threads included
  const t0 = performance.now();
  return () => {
    const m1 = machineTicks();
    const seconds = (performance.now() - t0) / 1000;
    const s1 = groupCpuSeconds(serverPgid);
    const p1 = groupCpuByProgram(serverPgid);
    const c = process.cpuUsage(c0);
    return {
      machine_busy_pct: round((100 * (m1.busy - m0.busy)) / (m1.total - m0.total || 1)),
      server_cores_used: s0 === null ? null : round((s1 - s0) / seconds, 2),
      server_cpu_s_by_program:
        p0 && Object.fromEntries(Object.entries(p1).map(([k, v]) => [k, round(v - (p0[k] ?? 0), 2)])),
      client_cores_used: round((c.user + c.system) / 1e6 / seconds, 2),
    };
  };
}

/** Waits (up to maxWaitS) for the machine to be mostly idle, so other work does not skew results. */
export async function waitForQuiet(maxWaitS = envInt("BENCH_QUIET_WAIT_S", 120), idleAtLeast = 0.8) {
  const deadline = Date.now() + maxWaitS * 1000;
  let idle = 0;
  do {
    const a = machineTicks();
    await new Promise((r) => setTimeout(r, 2000));
    const b = machineTicks();
    idle = 1 - (b.busy - a.busy) / (b.total - a.total || 1);
    if (idle >= idleAtLeast) break;
    log(`  machine busy (${round(100 * (1 - idle))}% CPU used by other work), waiting…`);
  } while (Date.now() < deadline);
  return round(100 * idle);
}

/**
 * After the last response the server may still be busy (queue consumers evaluating what was
 * ingested). Waits until its process group uses < 5% of a core for 2 s; returns the seconds that took.
 */
export async function waitServerIdle(serverPgid, maxWaitS = 900) {
  const t0 = performance.now();
  let quietSeconds = 0;
  let last = groupCpuSeconds(serverPgid);
  if (last === null) return null;
  while (quietSeconds < 2 && performance.now() - t0 < maxWaitS * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = groupCpuSeconds(serverPgid);
    quietSeconds = now - last < 0.05 ? quietSeconds + 1 : 0;
    last = now;
  }
  return round((performance.now() - t0) / 1000 - quietSeconds, 1);
}
