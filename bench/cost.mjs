// What ingesting and governing one million spans costs on Cloudflare, from counters measured per
// million spans and the dated price table in bench/prices.mjs. The cost is marginal: every unit is
// billed at the price beyond the included allowance, as for an account whose other traffic already
// uses the allowances; the plan's $5 monthly minimum is left out. Storage lines are what holding the
// million spans' data costs per month.
import { log } from "./lib.mjs";
import { PRICES } from "./prices.mjs";

/** The counters a run measures, per million spans, in the price table's units. */
export const COUNTERS = [
  "worker_requests",
  "worker_cpu_ms",
  "d1_rows_read",
  "d1_rows_written",
  "d1_storage_gb",
  "queue_operations",
  "do_requests",
  "do_duration_gb_s",
  "do_websocket_messages",
  "r2_class_a",
  "r2_class_b",
  "r2_storage_gb",
];

/**
 * One line per counter (quantity × unit price) and their total. A counter whose price the table
 * does not know prices as `usd: null`, is left out of the total and is named in `unpriced`.
 */
export function costPerMillionSpans(counters, prices = PRICES) {
  const lines = COUNTERS.map((key) => {
    const quantity = counters[key];
    if (typeof quantity !== "number" || !Number.isFinite(quantity) || quantity < 0) {
      throw new Error(`counter ${key} must be a non-negative number, got ${quantity}`);
    }
    const price = prices.items[key];
    if (!price) throw new Error(`the price table has no item ${key}`);
    const unit_price = price.usd_per_unit;
    return {
      item: key,
      label: price.label,
      unit: price.unit,
      quantity,
      unit_price,
      usd: unit_price === null ? null : quantity * unit_price,
    };
  });
  const total_usd = lines.reduce((sum, line) => sum + (line.usd ?? 0), 0);
  const unpriced = lines.filter((l) => l.usd === null && l.quantity > 0).map((l) => l.item);
  return { lines, total_usd, unpriced, basis: "marginal", prices_checked: prices.checked };
}

const usd = (n) => (n === null ? "n/a" : `$${n < 0.01 && n > 0 ? n.toPrecision(2) : n.toFixed(4)}`);
/** Per-unit prices under a cent read as USD per million units. */
function unitPrice(p) {
  if (p === null) return "n/a";
  if (p >= 0.01) return `$${p.toFixed(4)}`;
  const perMillion = p * 1_000_000;
  return `$${perMillion >= 0.01 ? perMillion.toFixed(2) : String(Number(perMillion.toPrecision(2)))}/M`;
}
const count = (n) => (Number.isInteger(n) ? n.toLocaleString("en-US") : n.toPrecision(4));

/** The result as a text table, largest line first, with the total and its share per line. */
export function formatCost(result) {
  const rows = [...result.lines].sort((a, b) => (b.usd ?? -1) - (a.usd ?? -1));
  const share = (line) =>
    line.usd === null || result.total_usd === 0 ? "" : `${((100 * line.usd) / result.total_usd).toFixed(1)}%`;
  const table = [
    ["item", "quantity", "unit", "unit price", "USD", "share"],
    ...rows.map((l) => [l.label, count(l.quantity), l.unit, unitPrice(l.unit_price), usd(l.usd), share(l)]),
    ["total per million spans", "", "", "", usd(result.total_usd), ""],
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const lines = table.map((r) =>
    r
      .map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  lines.push(
    `marginal cost (beyond included allowances, $5 plan minimum excluded), prices checked ${result.prices_checked}`,
  );
  if (result.unpriced.length)
    lines.push(`not priced (no published figure found): ${result.unpriced.join(", ")}`);
  return lines.join("\n");
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
    do_websocket_messages: 0, // clients send only pings, which the runtime answers unbilled
  };
}

/** Prints and returns the cost of 1M spans per ingest shape. */
export function costs(results) {
  const out = {};
  for (const shape of Object.keys(results.ingest.figures).filter((k) => k !== "worker_cpu")) {
    const counters = costCounters(results, shape);
    const result = costPerMillionSpans(counters);
    const top = result.lines.reduce((a, b) => ((b.usd ?? 0) > (a.usd ?? 0) ? b : a));
    out[shape] = { counters, ...result, dominated_by: top.label };
    log(`  cost of 1M spans, ${shape}, rules on:\n${formatCost(result).replace(/^/gm, "    ")}`);
  }
  return out;
}
