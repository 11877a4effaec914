// `npm run bench`: ingest, OTLP, query, governor, live feed and alert latency, in that order. Every measurement starts its own
// `wrangler dev` on a fresh database and a copy of the sources (see server.mjs), so no benchmark
// sees data or code changes from another. Prints a summary table, writes bench/results/summary.json.
import { run as alert } from "./alert.mjs";
import { run as audit } from "./audit.mjs";
import { run as auditVerify } from "./audit-verify.mjs";
import { run as governor } from "./governor.mjs";
import { run as ingest } from "./ingest.mjs";
import { log, writeResult } from "./lib.mjs";
import { run as live } from "./live.mjs";
import { run as otlp } from "./otlp.mjs";
import { run as query } from "./query.mjs";

function ingestRows(label, figures, goal, ratioGoal) {
  return Object.entries(figures)
    .filter(([key]) => key.startsWith("rules_"))
    .flatMap(([, r]) => [
      [`${label} spans/s sustained, rules ${r.rules}`, r.sustained_spans_per_s, ">=", goal],
      [`${label} spans/s while sending, rules ${r.rules}`, r.spans_per_s],
      ...(ratioGoal
        ? [[`${label} sustained / raw SQLite, rules ${r.rules}`, r.ratio_to_raw, ">=", ratioGoal]]
        : []),
      [`${label} request p50 / p99 ms, rules ${r.rules}`, `${r.requests.p50_ms} / ${r.requests.p99_ms}`],
    ]);
}

function governorRows({ governor: g, live: l, alert: a }) {
  const gf = g.figures;
  return [
    ["governor evals/s (50 rules, in workerd)", gf.evals_per_s, ">=", gf.goal_evals_per_s],
    ["governor compile µs per rule", gf.compile_us_per_rule],
    ["ingest → span.created p95 ms (100 clients)", l.figures.span_created.p95_ms, "<=", 100],
    ["ingest → constitutional.alert p50 ms", a.figures.constitutional_alert.p50_ms],
    ["ingest → constitutional.alert p95 ms", a.figures.constitutional_alert.p95_ms, "<=", 1000],
  ];
}

function rows({ ingest: i, otlp: o, query: q, ...rest }) {
  const f = q.figures;
  return [
    ...ingestRows("native", i.figures, 40_000, 0.7),
    ["raw SQLite spans/s (same batches and SQL)", i.figures.raw_sqlite.spans_per_s],
    ...ingestRows("OTLP", o.figures, 25_000),
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

function printTable(table) {
  const width = Math.max(...table.map((r) => r.metric.length));
  log(`\n${"metric".padEnd(width)} ${"value".padStart(15)}  goal`);
  for (const r of table) {
    const mark = r.met === null ? "" : r.met ? "ok" : "MISSED";
    log(`${r.metric.padEnd(width)} ${String(r.value).padStart(15)}  ${r.goal.padEnd(10)} ${mark}`);
  }
}

const results = {
  ingest: await ingest(),
  otlp: await otlp(),
  query: await query(),
  governor: await governor(),
  live: await live(),
  alert: await alert(),
  audit: await audit(),
  auditVerify: await auditVerify(),
};
const table = rows(results);
printTable(table);
const params = { servers: "one wrangler dev per measurement, fresh D1 and source snapshot each" };
writeResult("summary", params, { table, results });
