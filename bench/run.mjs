// `npm run bench`: ingest, OTLP, query, governor, live feed, alert latency, audit and fleet analytics, in that order. Every measurement starts its own
// `wrangler dev` on a fresh database and a copy of the sources (see server.mjs), so no benchmark
// sees data or code changes from another. Prints a summary table, writes bench/results/summary.json.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run as alert } from "./alert.mjs";
import { run as analytics } from "./analytics.mjs";
import { run as audit } from "./audit.mjs";
import { run as auditVerify } from "./audit-verify.mjs";
import { costs } from "./cost.mjs";
import { run as governor } from "./governor.mjs";
import { run as ingest } from "./ingest.mjs";
import { log, RESULTS_DIR, writeResult } from "./lib.mjs";
import { run as live } from "./live.mjs";
import { run as otlp } from "./otlp.mjs";
import { run as query } from "./query.mjs";
import { run as rollupCost } from "./rollup-cost.mjs";

const SUSTAINED_GOAL = { off: 25_000, on: 15_000 };

function ingestRows(label, figures, goals = {}) {
  return Object.entries(figures)
    .filter(([key]) => key.startsWith("rules_"))
    .flatMap(([, r]) => [
      [
        `${label} spans/s sustained, rules ${r.rules}`,
        r.sustained_spans_per_s,
        ">=",
        SUSTAINED_GOAL[r.rules],
      ],
      [`${label} spans/s while sending, rules ${r.rules}`, r.spans_per_s],
      ...(goals.ratio && r.rules === "off"
        ? [[`${label} sustained / raw SQLite, rules off`, r.ratio_to_raw, ">=", goals.ratio]]
        : []),
      ...(goals.native ? [[`${label} / native, rules ${r.rules}`, goals.native(r), ">=", 0.8]] : []),
      [`${label} request p50 / p99 ms, rules ${r.rules}`, `${r.requests.p50_ms} / ${r.requests.p99_ms}`],
      [`${label} server CPU µs per span (all of workerd), rules ${r.rules}`, r.cpu.server_cpu_us_per_span],
      ...(r.d1
        ? [
            [`${label} D1 SQL ms per batch (meta p50), rules ${r.rules}`, r.d1.sql_ms_per_request.p50_ms],
            [`${label} D1 SQL time / raw SQLite, rules ${r.rules}`, r.d1.sql_ms_vs_raw, "<=", 1.2],
          ]
        : []),
    ]);
}

function nativeRows(ingest) {
  const { worker_cpu: cpu, ...shapes } = ingest.figures;
  return Object.entries(shapes).flatMap(([shape, f]) => [
    ...ingestRows(`native ${shape}`, f, { ratio: 0.6 }),
    [`raw SQLite spans/s, ${shape} (same batches and SQL)`, f.raw_sqlite.spans_per_s],
    [`worker CPU outside SQL µs per span, ${shape}`, cpu[shape].us_per_span, "<=", 15],
  ]);
}

/** OTLP sends the traces_of_20 shape: compared with native's on the same rules. */
function otlpRows(otlp, ingest) {
  const native = ingest.figures.traces_of_20;
  const vsNative = (r) =>
    Number(
      (r.sustained_spans_per_s / (native?.[`rules_${r.rules}`]?.sustained_spans_per_s ?? Number.NaN)).toFixed(
        2,
      ),
    );
  return ingestRows("OTLP", otlp.figures, { native: vsNative });
}

function governorRows({ governor: g, governorCpu: gc, live: l, alert: a }) {
  const gf = g.figures;
  return [
    ["governor evals/s (50 rules, in workerd)", gf.evals_per_s, ">=", gf.goal_evals_per_s],
    [
      "governor CPU µs per span × rule (500-span tree, 26 default rules)",
      gc.figures.after.us_per_span_rule,
      "<=",
      gc.figures.goal_us_per_span_rule,
    ],
    ["governor compile µs per rule", gf.compile_us_per_rule],
    ["ingest → span.created p95 ms (100 clients)", l.figures.span_created.p95_ms, "<=", 100],
    ["ingest → constitutional.alert p50 ms", a.figures.constitutional_alert.p50_ms],
    ["ingest → constitutional.alert p95 ms", a.figures.constitutional_alert.p95_ms, "<=", 1000],
  ];
}

function rows({ ingest: i, otlp: o, query: q, ...rest }) {
  const f = q.figures;
  return [
    ...nativeRows(i),
    ...otlpRows(o, i),
    [
      "query seed spans/s (first / last tenth)",
      `${f.seeding.spans_per_s_by_tenth[0]} / ${f.seeding.spans_per_s_by_tenth.at(-1)}`,
    ],
    ...["list_by_agent", "search", "trace_detail_1000_spans"].flatMap((name) => [
      [`${name} p50 ms`, f[name].p50_ms],
      [`${name} p95 ms`, f[name].p95_ms, "<=", f[name].goal_p95_ms],
    ]),
    ...(f.traces_page_first_load?.p50_ms === undefined
      ? []
      : [
          ["traces page first load p50 ms (1M spans, Chromium)", f.traces_page_first_load.p50_ms],
          ["traces page first load max ms", f.traces_page_first_load.max_ms, "<=", 1000],
        ]),
    ...governorRows(rest),
    ...auditRows(rest),
    ...auditVerifyRows(rest),
    ...analyticsRows(rest),
    ...rollupCostRows(rest),
  ].map(([metric, value, op, goal]) => {
    const met = op === undefined ? null : op === ">=" ? value >= goal : value <= goal;
    return { metric, value, goal: op ? `${op} ${goal}` : "", met };
  });
}

function auditRows({ audit }) {
  if (!audit) return [];
  const f = audit.figures;
  const queries = Object.entries(f.query.queries).map(([name, q]) => [
    `audit query ${name} p95 ms (1M events)`,
    q.p95_ms,
    "<=",
    q.goal_p95_ms,
  ]);
  return [
    [
      "audit append events/s (batches of 100, checkpointing on)",
      f.batched.events_per_s,
      ">=",
      f.append_goal_events_per_s,
    ],
    ["audit append events/s (single events, 16 clients)", f.single.events_per_s],
    ["audit checkpoint covers last append after s", f.batched.checkpoint_covers_all_after_s, "<=", 5],
    ...queries,
  ];
}

function auditVerifyRows({ auditVerify: v }) {
  if (!v) return [];
  const f = v.figures;
  return [
    ["audit-verify s, 1M events, with tiles (offline CLI)", f.with_tiles.median_s, "<=", f.goal_s],
    ["audit-verify s, 1M events, without tiles", f.without_tiles.median_s, "<=", f.goal_s],
  ];
}

/** Where the fold runs: after every request (as inside each ingest batch) or once per trace. */
function rollupCostRows({ rollupCost: c }) {
  return Object.entries(c?.figures ?? {}).flatMap(([shape, f]) => [
    [`fold D1 rows written per span, once per trace, ${shape}`, f.fold_per_trace_rows_written_per_span],
    [
      `fold D1 rows written per span, after every request, ${shape}`,
      f.fold_per_request_rows_written_per_span,
    ],
  ]);
}

function analyticsRows({ analytics: a }) {
  if (!a) return [];
  const { upkeep: u, reads: r, scan: s } = a.figures;
  const readRows = Object.entries(r?.endpoints ?? {}).map(([name, e]) => [
    `fleet ${name} p95 ms (${r.seeding.spans} spans, 30 days)`,
    e.p95_ms,
    "<=",
    e.goal_p95_ms,
  ]);
  return [
    ...(u
      ? [
          [
            `ingest sustained, rollups on / off (median of ${u.rounds} rounds)`,
            u.ratio_sustained,
            ">=",
            u.goal_ratio,
          ],
          ["ingest spans/s while sending, rollups on / off", u.ratio_spans_per_s],
          [
            "D1 rows written per span, rollups on / off",
            `${u.d1_rows_written_per_span.on} / ${u.d1_rows_written_per_span.off}`,
          ],
          ["fold workerd CPU µs per span (on − off)", u.fold_extra_workerd_cpu_us_per_span],
          ["fold D1 rows read per trace folded (its last run)", u.fold_rows_read_per_trace],
        ]
      : []),
    ...(r ? [["fleet analytics seed s (HTTP ingest)", r.seeding.seconds], ...readRows] : []),
    ...(s
      ? [
          [
            `detector scan workerd CPU s, ${s.capabilities} capabilities (p50)`,
            s.workerd_cpu_s.p50,
            "<=",
            s.goal_cpu_s,
          ],
          [`detector scan wall ms, ${s.capabilities} capabilities (p50)`, s.wall_ms.p50],
        ]
      : []),
  ];
}

function printTable(table) {
  const width = Math.max(...table.map((r) => r.metric.length));
  log(`\n${"metric".padEnd(width)} ${"value".padStart(15)}  goal`);
  for (const r of table) {
    const mark = r.met === null ? "" : r.met ? "ok" : "MISSED";
    log(`${r.metric.padEnd(width)} ${String(r.value).padStart(15)}  ${r.goal.padEnd(10)} ${mark}`);
  }
}

function costRows(cost) {
  return Object.entries(cost).flatMap(([shape, c]) => [
    [`cost per 1M spans all-in USD, ${shape}, rules on`, Number(c.total_usd.toFixed(3)), "<=", 2],
    [`cost per 1M spans: largest line, ${shape}`, c.dominated_by],
    // The anchor users compare with: Langfuse Cloud bills $8 per 100,000 units beyond its plan.
    [`cost per 1M spans vs Langfuse Cloud's ~$80, ${shape}`, `${(c.total_usd / 80).toFixed(3)}×`],
  ]);
}

/** bench/governor-cpu.mjs runs in its own Node (it needs --experimental-transform-types). */
function governorCpu() {
  const file = new URL("./governor-cpu.mjs", import.meta.url).pathname;
  const run = spawnSync(process.execPath, [file], { stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new Error("bench/governor-cpu.mjs failed");
  return JSON.parse(readFileSync(join(RESULTS_DIR, "governor-cpu.json"), "utf8"));
}

const results = {
  ingest: await ingest(),
  governorCpu: governorCpu(),
  otlp: await otlp(),
  query: await query(),
  governor: await governor(),
  live: await live(),
  alert: await alert(),
  audit: await audit(),
  auditVerify: await auditVerify(),
  analytics: await analytics(),
  rollupCost: await rollupCost(),
};
results.cost = costs(results);
const table = [...rows(results), ...costRows(results.cost)];
printTable(table);
const params = { servers: "one wrangler dev per measurement, fresh D1 and source snapshot each" };
writeResult("summary", params, { table, results });
