// What ingesting and governing one million spans costs on Cloudflare, from counters measured by
// `npm run bench` (see costCounters in bench/run.mjs) and the dated price table in bench/prices.mjs.
import { log } from "./lib.mjs";
import { PRICES } from "./prices.mjs";

const LINES = [
  ["Worker requests", "worker_requests", "worker_request", "requests"],
  ["Worker CPU", "worker_cpu_ms", "worker_cpu_ms", "CPU ms"],
  ["D1 rows written", "d1_rows_written", "d1_row_written", "rows"],
  ["D1 rows read", "d1_rows_read", "d1_row_read", "rows"],
  ["D1 storage, one month", "d1_storage_gb", "d1_storage_gb_month", "GB-month"],
  ["Queue operations", "queue_operations", "queue_operation", "operations"],
  ["Durable Object requests", "do_requests", "do_request", "requests"],
  ["Durable Object duration", "do_duration_gb_s", "do_duration_gb_s", "GB-s"],
  ["R2 class A operations", "r2_class_a", "r2_class_a", "operations"],
  ["R2 class B operations", "r2_class_b", "r2_class_b", "operations"],
  ["R2 storage, one month", "r2_storage_gb", "r2_storage_gb_month", "GB-month"],
];

const unitPrice = (p) => (p.usd_per_million === undefined ? p.usd : p.usd_per_million / 1e6);

/** counters: quantities per million spans, keyed as in LINES. Returns lines in USD and the total. */
export function costPerMillionSpans(counters, prices = PRICES) {
  const lines = LINES.map(([item, counter, price, unit]) => {
    const quantity = counters[counter] ?? 0;
    const usd = quantity * unitPrice(prices[price]);
    return { item, quantity, unit, unit_price_usd: unitPrice(prices[price]), usd };
  });
  const total = lines.reduce((n, l) => n + l.usd, 0);
  const top = lines.reduce((a, b) => (b.usd > a.usd ? b : a));
  return { lines, total_usd: total, dominated_by: top.item, prices_read_on: prices.read_on };
}

const money = (usd) => (usd < 0.01 ? usd.toExponential(2) : usd.toFixed(usd < 1 ? 4 : 2));

export function formatCost(label, result) {
  const rows = result.lines.map(
    (l) =>
      `    ${l.item.padEnd(26)} ${String(Math.round(l.quantity * 100) / 100).padStart(14)} ${l.unit.padEnd(10)} $${money(l.usd)}`,
  );
  return [
    `  cost of 1M spans, ${label} (Cloudflare prices of ${result.prices_read_on}, beyond plan allowances):`,
    ...rows,
    `    ${"total".padEnd(51)} $${money(result.total_usd)}  (most: ${result.dominated_by})`,
  ].join("\n");
}

const MILLION = 1e6;
/** A finding row and its index entries (id, natural key, four reading indexes) as D1 counts them. */
const ROWS_PER_FINDING = 7;

/**
 * Quantities per million spans for bench/cost.mjs, rules on. Ingest's D1 rows, Worker CPU and
 * stored bytes are measured; the governor's D1 rows (its queue consumer reports no meta) and the
 * hub's duration are estimated from what one message does — named so in the output.
 */
export function costCounters({ ingest, governorCpu }, shape) {
  const f = ingest.figures[shape];
  const on = f.rules_on ?? f.rules_off;
  const batches = MILLION / ingest.params.batch_spans;
  const messages = batches; // one governor message per batch of ≤ 500 spans
  const g = governorCpu.figures.after;
  const findingsPerMessage = g.findings ?? 0;
  const governorRowsWritten = messages * (findingsPerMessage * ROWS_PER_FINDING + 26 + 3);
  const governorRowsRead = messages * (ingest.params.batch_spans + findingsPerMessage + 26 + 2);
  const hubRequests = batches + messages; // ingest asks the hub once; alerts are one publish per message
  return {
    worker_requests: batches + messages,
    worker_cpu_ms: (MILLION * (ingest.figures.worker_cpu[shape].us_per_span + (g.us_per_span ?? 0))) / 1000,
    d1_rows_written: MILLION * (on.d1?.rows_written_per_span ?? 0) + governorRowsWritten,
    d1_rows_read: MILLION * (on.d1?.rows_read_per_span ?? 0) + governorRowsRead,
    d1_storage_gb: (MILLION * f.raw_sqlite.stored_bytes_per_span) / 1e9,
    queue_operations: messages * 3,
    do_requests: hubRequests,
    do_duration_gb_s: hubRequests * 0.005 * 0.128, // ~5 ms awake per call at 128 MB (estimate)
    r2_class_a: 0,
    r2_class_b: 0,
    r2_storage_gb: 0,
  };
}

/** Prints and returns the cost of 1M spans per ingest shape. */
export function costs(results) {
  const out = {};
  for (const shape of Object.keys(results.ingest.figures).filter((k) => k !== "worker_cpu")) {
    const counters = costCounters(results, shape);
    out[shape] = { counters, ...costPerMillionSpans(counters) };
    log(formatCost(`${shape}, rules on`, out[shape]));
  }
  return out;
}
