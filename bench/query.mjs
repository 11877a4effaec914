// Read latency on a large tenant: seeds ~1M spans (50k traces × 20 over 10 agents and 7 days,
// plus one 1,000-span trace) through the ingest API, then times sequential reads.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "../test/e2e/harness.mjs";
import { AGENTS, makeTrace, RARE_WORD, rng } from "./data.mjs";
import { envInt, latencySummary, log, waitForQuiet, waitServerIdle, writeResult } from "./lib.mjs";
import { runLoad } from "./load.mjs";
import { createTenant, disableRules, ROOT, startServer } from "./server.mjs";

const DAY_MS = 86_400_000;
const BIG_TRACE_SPANS = 1000;
const WARMUP = 5; // first requests compile the routes; not counted

const SEED_PARTS = 10; // seeding throughput is reported per tenth, to show how it scales

/** ~25 traces × 20 spans per request, spread over the last 7 days; 4 clients. */
async function seedTraces(base, key, totalSpans) {
  const now = Date.now();
  const args = {
    prefix: "q",
    seed: 11,
    traces: 25,
    spansPerTrace: 20,
    startMs: now - 7 * DAY_MS,
    spreadMs: 7 * DAY_MS,
  };
  const requests = Math.ceil(totalSpans / 500);
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const parts = [];
  for (let p = 0; p < SEED_PARTS; p++) {
    const first = Math.floor((p * requests) / SEED_PARTS);
    const count = Math.floor(((p + 1) * requests) / SEED_PARTS) - first;
    const load = await runLoad({
      url: `${base}/api/v1/traces/ingest`,
      headers,
      module: "./data.mjs",
      exportName: "nativeBody",
      kind: "native",
      prebuild: false,
      quiet: false, // seeding is not timed strictly
      args,
      clients: 4,
      requests: count,
      first,
    });
    if (load.errors.count) throw new Error(`seeding failed: ${load.errors.first}`);
    parts.push(load);
  }
  return parts;
}

async function seedBigTrace(base, key) {
  const big = makeTrace(rng(99), {
    id: "big-trace",
    agent: AGENTS[0],
    startMs: Date.now() - DAY_MS,
    spanCount: BIG_TRACE_SPANS,
  });
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  for (let i = 0; i < BIG_TRACE_SPANS; i += 500) {
    const batch = { traces: i === 0 ? [big.trace] : [], spans: big.spans.slice(i, i + 500) };
    const res = await fetch(`${base}/api/v1/traces/ingest`, {
      method: "POST",
      headers,
      body: JSON.stringify(batch),
    });
    if (res.status !== 200) throw new Error(`seeding big trace: HTTP ${res.status} ${await res.text()}`);
  }
  return big.trace.id;
}

async function seed(base, key, totalSpans) {
  const parts = await seedTraces(base, key, totalSpans);
  const bigTraceId = await seedBigTrace(base, key);
  const spans = parts.reduce((n, p) => n + p.spans, 0) + BIG_TRACE_SPANS;
  const seconds = parts.reduce((n, p) => n + p.seconds, 0);
  const byTenth = parts.map((p) => p.spans_per_s);
  return {
    spans,
    seconds: Number(seconds.toFixed(1)),
    spans_per_s: Math.round(spans / seconds),
    spans_per_s_by_tenth: byTenth,
    bigTraceId,
  };
}

/** Times `count` sequential GETs of paths(i); check(body) must hold for every answer. */
async function measure(base, key, count, path, check) {
  const latencies = [];
  for (let i = -WARMUP; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path(i)}`, { headers: { authorization: `Bearer ${key}` } });
    const text = await res.text();
    if (i >= 0) latencies.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET ${path(i)}: HTTP ${res.status} ${text.slice(0, 2000)}`);
    const problem = check(JSON.parse(text), i);
    if (problem) throw new Error(`GET ${path(i)}: ${problem}`);
  }
  return latencySummary(latencies);
}

function queries(bigTraceId) {
  const agent = (i) => AGENTS[(i + AGENTS.length) % AGENTS.length];
  return {
    list_by_agent: {
      goal_p95_ms: 25,
      path: (i) => `/api/v1/traces?agent=${agent(i)}&limit=50`,
      // Tiny seeds (BENCH_QUERY_SPANS) may leave an agent fewer than 50 traces.
      check: (b, i) =>
        b.data.length > 0 && b.data.length <= 50 && b.data.every((t) => t.agent === agent(i))
          ? null
          : `expected up to 50 traces of ${agent(i)}, got ${b.data.length}`,
    },
    search: {
      goal_p95_ms: 60,
      path: () => `/api/v1/traces?q=${RARE_WORD}`,
      check: (b) => (b.data.length > 0 ? null : `no trace matched "${RARE_WORD}"`),
    },
    trace_detail_1000_spans: {
      goal_p95_ms: 60,
      path: () => `/api/v1/traces/${bigTraceId}`,
      check: (b) =>
        b.spans?.length === BIG_TRACE_SPANS
          ? null
          : `expected ${BIG_TRACE_SPANS} spans, got ${b.spans?.length}`,
    },
  };
}

const PAGE_LOADS = 5;
const PAGE_GOAL_MS = 1000;

/**
 * The traces page as a person opens it on this big tenant: a fresh browser context each time (no
 * cache), from navigation start until the first page of rows is on screen. Needs the built web app.
 */
async function tracesPageLoad(base, session) {
  const index = join(ROOT, "web/dist/index.html");
  if (!existsSync(index) || !readFileSync(index, "utf8").includes("/assets/")) {
    return { skipped: "web/dist is not built (npm run build:web)" };
  }
  const browser = await launchChromium();
  try {
    const [name, value] = session.cookie.split("=");
    const ms = [];
    for (let i = -1; i < PAGE_LOADS; i++) {
      const context = await browser.newContext();
      await context.addCookies([{ name, value, url: base }]);
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${base}/traces`);
      await page.locator("tbody tr[data-id]").first().waitFor({ timeout: 30_000 });
      if (i >= 0) ms.push(performance.now() - t0); // the first load warms the worker's code
      await context.close();
    }
    return { ...latencySummary(ms), goal_ms: PAGE_GOAL_MS };
  } finally {
    await browser.close();
  }
}

export async function run() {
  const totalSpans = envInt("BENCH_QUERY_SPANS", 1_000_000);
  const count = envInt("BENCH_QUERY_REQUESTS", 200);
  const params = {
    seed_spans: totalSpans,
    spans_per_trace: 20,
    agents: AGENTS.length,
    days: 7,
    big_trace_spans: BIG_TRACE_SPANS,
    requests_per_query: count,
    warmup_per_query: WARMUP,
    search_word: RARE_WORD,
    // Reads do not depend on rule evaluations, and evaluating 1M spans would take most of the run.
    governor_rules: "off",
  };
  const server = await startServer();
  try {
    const tenant = await createTenant(server.base);
    const { key } = tenant;
    await disableRules(server.base, tenant);
    log(`query: seeding ${totalSpans} spans + one ${BIG_TRACE_SPANS}-span trace`);
    const seeded = await seed(server.base, key, totalSpans);
    log(`  seeded ${seeded.spans} spans in ${seeded.seconds}s (${seeded.spans_per_s} spans/s)`);
    log(`  ingest spans/s by tenth of the seed: ${seeded.spans_per_s_by_tenth.join(", ")}`);
    seeded.background_drain_s = await waitServerIdle(server.pid); // reads start on an idle server
    const figures = { source: server.source, seeding: seeded };
    for (const [name, q] of Object.entries(queries(seeded.bigTraceId))) {
      const idle = await waitForQuiet(); // sequential latencies suffer most from other work
      const latency = await measure(server.base, key, count, q.path, q.check);
      figures[name] = { ...latency, goal_p95_ms: q.goal_p95_ms, machine_idle_pct_before: idle };
      log(
        `  ${name}: p50 ${figures[name].p50_ms} ms, p95 ${figures[name].p95_ms} ms (goal ≤ ${q.goal_p95_ms})`,
      );
    }
    await waitForQuiet();
    figures.traces_page_first_load = await tracesPageLoad(server.base, tenant.session);
    log(
      `  traces page first load (Chromium, fresh context): ${JSON.stringify(figures.traces_page_first_load)}`,
    );
    return writeResult("query", params, figures);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
