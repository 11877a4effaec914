// Fleet analytics (docs/analytics.md), three measurements on traffic from scripts/simulate/traffic.mjs
// sent through the ingest API:
//  1. rollup upkeep: the same workload into servers with the fold on and off (ANALYTICS_FOLD),
//     alternating, several rounds; spans/s while sending and sustained (until the cron has folded
//     everything), D1 rows written per span, and the fold's own time and CPU;
//  2. Overview / Workspaces / Capabilities read latency on ~1M spans over 30 days;
//  3. the cron's detector scan over 1,000 capabilities × 15 days: wall time and workerd CPU.
// Governor rules are off throughout: the figures are the analytics' own. Sizes: BENCH_UPKEEP_SPANS,
// BENCH_UPKEEP_ROUNDS, BENCH_ANALYTICS_SPANS, BENCH_ANALYTICS_REQUESTS, BENCH_SCAN_CAPABILITIES.
import { dayInteractions, dayStarts, normalDays, toBatches } from "../scripts/simulate/traffic.mjs";
import {
  cpuMeter,
  envInt,
  latencySummary,
  log,
  percentile,
  round,
  waitForQuiet,
  waitServerIdle,
  writeResult,
} from "./lib.mjs";
import { createTenant, disableRules, startServer } from "./server.mjs";

const DAY_MS = 86_400_000;
const UPKEEP_BATCH_SPANS = 500; // as bench/ingest.mjs
const SEED_BATCH_SPANS = 5000; // the ingest limit: seeding is not what is measured
const CLIENTS = 4;
const WARMUP = 5;
const QUIET_WAIT_S = 20; // the machine is shared; wait a little for quiet, never long
const SPANS_PER_TRACE = 5.5; // a root span and 2–7 children
const WEEK_WEIGHT = (5 + 2 * 0.5) / 7; // weekends carry half a weekday
const READ_GOAL_P95_MS = 50;
const SCAN_GOAL_CPU_S = 1;
const median = (values) => percentile(values, 50);

/** Weekday interactions that make about `spans` spans over `days` whole days and a part of today. */
const perDayFor = (spans, days) =>
  Math.max(1, Math.round(spans / (SPANS_PER_TRACE * (days + 0.5) * WEEK_WEIGHT)));

const encode = (batches) =>
  batches.map((b) => ({ body: JSON.stringify(b), spans: b.spans.length, traces: b.traces.length }));

const rowsWritten = (res) =>
  Number(/d1-rows-written;desc="(\d+)"/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? 0);

/** POSTs the bodies `clients` at a time; each must be accepted whole. */
async function sendAll(base, key, bodies, clients = CLIENTS) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const out = { latencies: [], rows_written: 0, spans: 0, traces: 0 };
  let next = 0;
  const client = async () => {
    while (next < bodies.length) {
      const { body, spans, traces } = bodies[next++];
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/traces/ingest`, { method: "POST", headers, body });
      const text = await res.text();
      out.latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`ingest: HTTP ${res.status} ${text.slice(0, 1000)}`);
      const accepted = JSON.parse(text).accepted?.spans;
      if (accepted !== spans) throw new Error(`ingest accepted ${accepted} of ${spans} spans`);
      out.spans += spans;
      out.traces += traces;
      out.rows_written += rowsWritten(res);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return out;
}

/**
 * One run of the every-minute cron; its wall time in ms. wrangler's own route: /__scheduled would
 * be answered by the static assets' SPA fallback before the Worker sees it.
 */
async function cron(base) {
  const t0 = performance.now();
  const res = await fetch(`${base}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
  await res.text();
  if (!res.ok) throw new Error(`/cdn-cgi/handler/scheduled: HTTP ${res.status}`);
  return performance.now() - t0;
}

/** The fold's sync state from the Overview, or null where the route does not exist. */
async function freshness(base, key) {
  const res = await fetch(`${base}/api/v1/analytics/overview`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const text = await res.text();
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`overview: HTTP ${res.status} ${text.slice(0, 1000)}`);
  return JSON.parse(text).freshness ?? null;
}

const workerdCpu = (cpu) => cpu.server_cpu_s_by_program?.workerd ?? null;

/**
 * Runs the cron until the fold reports no lag (the analytics queue may still be folding meanwhile),
 * at most `maxRuns` times; cron wall time and server CPU.
 */
async function foldUntilCaughtUp(server, key, maxRuns = 2000) {
  const meter = cpuMeter(server.pid);
  const ms = [];
  let state = null;
  do {
    if (ms.length) await new Promise((r) => setTimeout(r, 250));
    ms.push(await cron(server.base));
    state = await freshness(server.base, key);
  } while (state && state.lag_ms > 0 && ms.length < maxRuns);
  const cpu = meter();
  return {
    cron_runs: ms.length,
    cron_s: round(ms.reduce((a, b) => a + b, 0) / 1000, 2),
    workerd_cpu_s: workerdCpu(cpu),
    freshness: state,
  };
}

async function freshTenant(server) {
  const tenant = await createTenant(server.base);
  await disableRules(server.base, tenant);
  await waitServerIdle(server.pid); // sign-up's own background work is not what is measured
  return tenant;
}

// ——— 1. rollup upkeep ———

function upkeepWorkload(spans) {
  const now = Date.now();
  const opts = { now, days: 6, seed: 5, maxSpans: UPKEEP_BATCH_SPANS };
  const timed = encode(normalDays({ ...opts, tracesPerDay: perDayFor(spans, 6) }));
  const warmup = encode(normalDays({ ...opts, days: 0, seed: 6, tracesPerDay: 400 })).slice(0, 8);
  return { timed, warmup };
}

async function upkeepRun(fold, work) {
  const server = await startServer({ vars: { ANALYTICS_FOLD: fold } });
  try {
    const { key } = await freshTenant(server);
    await sendAll(server.base, key, work.warmup);
    await foldUntilCaughtUp(server, key, fold === "on" ? 2000 : 1);
    await waitServerIdle(server.pid);
    const idle = await waitForQuiet(QUIET_WAIT_S);
    const meter = cpuMeter(server.pid);
    const t0 = performance.now();
    const sent = await sendAll(server.base, key, work.timed);
    const sendS = (performance.now() - t0) / 1000;
    const drain = (await waitServerIdle(server.pid)) ?? 0;
    const folded = await foldUntilCaughtUp(server, key, fold === "on" ? 2000 : 1);
    const cpu = meter();
    return {
      fold,
      source: server.source,
      spans: sent.spans,
      spans_per_s: Math.round(sent.spans / sendS),
      sustained_spans_per_s: Math.round(sent.spans / (sendS + drain + folded.cron_s)),
      background_drain_s: drain,
      requests: latencySummary(sent.latencies),
      d1_rows_written_per_span: round(sent.rows_written / sent.spans, 2),
      workerd_cpu_us_per_span: round((1e6 * (workerdCpu(cpu) ?? 0)) / sent.spans, 1),
      cron: folded,
      machine_idle_pct_before: idle,
    };
  } finally {
    await server.stop();
  }
}

/** D1 rows the fold's last run read per trace it folded (from the sync state). */
const rowsPerTrace = (f) => (f?.last_rows ? round(f.last_rows_read / f.last_rows, 1) : null);

function upkeepSummary(runs) {
  const by = (fold, k) => median(runs.filter((r) => r.fold === fold).map((r) => r[k]));
  const ratio = (k) => round(by("on", k) / by("off", k), 3);
  const on = runs.filter((r) => r.fold === "on");
  return {
    on: { spans_per_s: by("on", "spans_per_s"), sustained_spans_per_s: by("on", "sustained_spans_per_s") },
    off: { spans_per_s: by("off", "spans_per_s"), sustained_spans_per_s: by("off", "sustained_spans_per_s") },
    ratio_spans_per_s: ratio("spans_per_s"),
    ratio_sustained: ratio("sustained_spans_per_s"),
    d1_rows_written_per_span: {
      on: by("on", "d1_rows_written_per_span"),
      off: by("off", "d1_rows_written_per_span"),
    },
    workerd_cpu_us_per_span: {
      on: by("on", "workerd_cpu_us_per_span"),
      off: by("off", "workerd_cpu_us_per_span"),
    },
    fold_cron_s: median(on.map((r) => r.cron.cron_s)),
    fold_workerd_cpu_us_per_span: round(
      median(on.map((r) => (1e6 * (r.cron.workerd_cpu_s ?? 0)) / r.spans)),
      1,
    ),
    /** The fold runs in the analytics queue consumer, inside the drain: its CPU is on's extra. */
    fold_extra_workerd_cpu_us_per_span: round(
      by("on", "workerd_cpu_us_per_span") - by("off", "workerd_cpu_us_per_span"),
      1,
    ),
    fold_last_run: on.at(-1)?.cron.freshness ?? null,
    fold_rows_read_per_trace: rowsPerTrace(on.at(-1)?.cron.freshness),
    fold_reported_ms: median(
      on.map((r) => r.cron.freshness?.last_duration_ms ?? null).filter((v) => v !== null),
    ),
    goal_ratio: 0.9,
  };
}

async function upkeep() {
  const spans = envInt("BENCH_UPKEEP_SPANS", 100_000);
  const rounds = envInt("BENCH_UPKEEP_ROUNDS", 3);
  const work = upkeepWorkload(spans);
  log(
    `analytics upkeep: ${work.timed.reduce((n, b) => n + b.spans, 0)} spans in batches of ≤ ${UPKEEP_BATCH_SPANS}, fold on vs off, ${rounds} rounds`,
  );
  const runs = [];
  for (let r = 0; r < rounds; r++) {
    for (const fold of r % 2 ? ["off", "on"] : ["on", "off"]) {
      const run = await upkeepRun(fold, work);
      runs.push(run);
      log(
        `  round ${r + 1}, fold ${fold}: ${run.spans_per_s} spans/s sending, ${run.sustained_spans_per_s} sustained; ${run.d1_rows_written_per_span} D1 rows written/span; cron ${run.cron.cron_runs}× ${run.cron.cron_s}s`,
      );
    }
  }
  const summary = upkeepSummary(runs);
  log(
    `  median on/off: ${summary.ratio_spans_per_s} sending, ${summary.ratio_sustained} sustained (goal ≥ 0.9); workerd CPU ${summary.workerd_cpu_us_per_span.on} vs ${summary.workerd_cpu_us_per_span.off} µs/span (fold +${summary.fold_extra_workerd_cpu_us_per_span})`,
  );
  return { spans, rounds, batch_spans: UPKEEP_BATCH_SPANS, clients: CLIENTS, runs, ...summary };
}

// ——— 2. read latency on a big tenant ———

/** Sends `days` whole days and today of normal traffic, one day at a time; seconds per tenth. */
async function seedDays(base, key, opts) {
  const t0 = performance.now();
  const totals = { spans: 0, traces: 0, rows_written: 0 };
  for (const day of dayStarts(opts.now, opts.days)) {
    const bodies = encode(toBatches(dayInteractions(opts, day), { maxSpans: SEED_BATCH_SPANS }));
    const sent = await sendAll(base, key, bodies, 2);
    for (const k of Object.keys(totals)) totals[k] += sent[k];
  }
  const seconds = (performance.now() - t0) / 1000;
  return { ...totals, seconds: round(seconds, 1), spans_per_s: Math.round(totals.spans / seconds) };
}

/** Times `count` sequential GETs after WARMUP untimed ones. */
async function timeGets(base, key, path, count) {
  const ms = [];
  for (let i = -WARMUP; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const text = await res.text();
    if (i >= 0) ms.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${text.slice(0, 1000)}`);
  }
  return latencySummary(ms);
}

const ENDPOINTS = {
  overview: "/api/v1/analytics/overview",
  workspaces: "/api/v1/analytics/workspaces",
  capabilities: "/api/v1/analytics/capabilities",
};

async function measureReads(server, key, now, count) {
  const from = new Date(now - 29 * DAY_MS).toISOString().slice(0, 10);
  const ranges = { default_7d: "", all_30d: `?from=${from}T00:00:00Z` };
  const out = {};
  for (const [name, path] of Object.entries(ENDPOINTS)) {
    for (const [range, query] of Object.entries(ranges)) {
      const idle = await waitForQuiet(QUIET_WAIT_S);
      const r = await timeGets(server.base, key, `${path}${query}`, count);
      out[`${name}_${range}`] = { ...r, goal_p95_ms: READ_GOAL_P95_MS, machine_idle_pct_before: idle };
      log(`  ${name} (${range}): p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms (goal ≤ ${READ_GOAL_P95_MS})`);
    }
  }
  return out;
}

async function reads() {
  const spans = envInt("BENCH_ANALYTICS_SPANS", 1_000_000);
  const count = envInt("BENCH_ANALYTICS_REQUESTS", 60);
  const now = Date.now();
  const opts = { now, days: 29, seed: 21, tracesPerDay: perDayFor(spans, 29) };
  log(`analytics reads: seeding ~${spans} spans over 30 days (${opts.tracesPerDay} interactions a weekday)`);
  const server = await startServer();
  try {
    const { key } = await freshTenant(server);
    const seeded = await seedDays(server.base, key, opts);
    log(
      `  seeded ${seeded.spans} spans (${seeded.traces} traces) in ${seeded.seconds}s, ${seeded.spans_per_s} spans/s`,
    );
    seeded.background_drain_s = await waitServerIdle(server.pid);
    const fold = await foldUntilCaughtUp(server, key);
    log(
      `  fold caught up after ${fold.cron_runs} cron runs, ${fold.cron_s}s, ${fold.workerd_cpu_s}s workerd CPU`,
    );
    const endpoints = await measureReads(server, key, now, count);
    return {
      spans_goal: spans,
      requests_per_endpoint: count,
      warmup: WARMUP,
      seeding: seeded,
      fold,
      endpoints,
    };
  } finally {
    await server.stop();
  }
}

// ——— 3. detector scan over many capabilities ———

async function scan() {
  const capabilities = envInt("BENCH_SCAN_CAPABILITIES", 1000);
  const perCapability = envInt("BENCH_SCAN_PER_CAPABILITY", 3);
  const scans = envInt("BENCH_SCAN_RUNS", 5);
  const names = Array.from({ length: capabilities }, (_, i) => `cap-${String(i).padStart(4, "0")}`);
  const opts = {
    now: Date.now(),
    days: 14,
    seed: 31,
    capabilities: names,
    evenCapabilities: true,
    tracesPerDay: capabilities * perCapability,
  };
  log(
    `analytics detector scan: ${capabilities} capabilities × 15 days, ~${perCapability} interactions each a weekday`,
  );
  const server = await startServer();
  try {
    const { key } = await freshTenant(server);
    const seeded = await seedDays(server.base, key, opts);
    log(`  seeded ${seeded.spans} spans (${seeded.traces} traces) in ${seeded.seconds}s`);
    await waitServerIdle(server.pid);
    const fold = await foldUntilCaughtUp(server, key);
    log(`  fold caught up after ${fold.cron_runs} cron runs, ${fold.cron_s}s`);
    const runs = [];
    for (let i = 0; i < scans; i++) {
      await waitForQuiet(QUIET_WAIT_S);
      const meter = cpuMeter(server.pid);
      const ms = await cron(server.base);
      await waitServerIdle(server.pid); // work the cron left to the queue or waitUntil
      runs.push({ wall_ms: round(ms), workerd_cpu_s: workerdCpu(meter()) });
      log(`  scan ${i + 1}: ${round(ms)} ms wall, ${runs.at(-1).workerd_cpu_s}s workerd CPU`);
    }
    return {
      capabilities,
      days: 15,
      seeding: seeded,
      fold,
      runs,
      wall_ms: { p50: median(runs.map((r) => r.wall_ms)), max: Math.max(...runs.map((r) => r.wall_ms)) },
      workerd_cpu_s: {
        p50: median(runs.map((r) => r.workerd_cpu_s)),
        max: Math.max(...runs.map((r) => r.workerd_cpu_s)),
      },
      goal_cpu_s: SCAN_GOAL_CPU_S,
    };
  } finally {
    await server.stop();
  }
}

const PARTS = { upkeep, reads, scan };

export async function run() {
  const parts = (process.env.BENCH_ANALYTICS_PARTS ?? Object.keys(PARTS).join(","))
    .split(",")
    .filter(Boolean);
  const figures = {};
  for (const part of parts) figures[part] = await PARTS[part]();
  return writeResult("analytics", { parts, governor_rules: "off", clients: CLIENTS }, figures);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
