// `npm run bench`: ingest, OTLP, query, in that order. Each benchmark starts its own server on a
// fresh database (so ingest numbers never depend on data left by another benchmark), then a
// summary table is printed and written to bench/results/summary.json.
import { run as ingest } from "./ingest.mjs";
import { log, writeResult } from "./lib.mjs";
import { run as otlp } from "./otlp.mjs";
import { run as query } from "./query.mjs";

function rows({ ingest: i, otlp: o, query: q }) {
  const s = i.figures.server;
  const os = o.figures.server;
  const f = q.figures;
  return [
    ["native ingest spans/s", s.spans_per_s, ">=", 40_000],
    ["native ingest / raw SQLite", i.figures.ratio_to_raw, ">=", 0.7],
    ["native ingest batch p50 ms", s.requests.p50_ms],
    ["native ingest batch p99 ms", s.requests.p99_ms],
    ["raw SQLite spans/s", i.figures.raw_sqlite.spans_per_s],
    ["OTLP protobuf spans/s", os.spans_per_s, ">=", 25_000],
    ["OTLP request p50 ms", os.requests.p50_ms],
    ["OTLP request p99 ms", os.requests.p99_ms],
    ...["list_by_agent", "search", "trace_detail_1000_spans"].flatMap((name) => [
      [`${name} p50 ms`, f[name].p50_ms],
      [`${name} p95 ms`, f[name].p95_ms, "<=", f[name].goal_p95_ms],
    ]),
  ].map(([metric, value, op, goal]) => {
    const met = op === undefined ? null : op === ">=" ? value >= goal : value <= goal;
    return { metric, value, goal: op ? `${op} ${goal}` : "", met };
  });
}

function printTable(table) {
  const width = Math.max(...table.map((r) => r.metric.length));
  log("\nmetric".padEnd(width + 1), "value".padStart(10), " goal".padEnd(12), "");
  for (const r of table) {
    const mark = r.met === null ? "" : r.met ? "ok" : "MISSED";
    log(r.metric.padEnd(width), String(r.value).padStart(10), ` ${r.goal}`.padEnd(12), mark);
  }
}

const results = { ingest: await ingest(), otlp: await otlp(), query: await query() };
const table = rows(results);
printTable(table);
const errors = Object.fromEntries(
  Object.entries(results).map(([name, r]) => [name, r.figures.server?.errors?.count ?? 0]),
);
writeResult(
  "summary",
  { servers: "one wrangler dev per benchmark, fresh D1 each" },
  { table, errors, results },
);
