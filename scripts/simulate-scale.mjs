// `npm run simulate:scale`: a model of AuditTrail's tenant sharding, not a load test
// (docs/scaling.md). A heavy-tailed (Zipf) spread of spans/month over tenants, the placement rule
// the worker uses (worker/tenants/placement.ts) over N data databases, and the hot retention in D1
// give each shard's fill, its write rate against one D1 database's single writer, and the month it
// would pass 10 GB. Prints a table and writes bench/results/simulate-scale.json.
//
//   --tenants 10000        tenants
//   --spans 1e9            spans per month over all tenants, in month 1
//   --growth 0.05          monthly growth of every tenant's volume
//   --zipf 1.0             tail exponent: tenant of rank r sends ∝ 1/r^zipf (0 = all equal)
//   --shards 256           data databases, equal weights (or --weights "DB:1,DB2:1,…")
//   --retention-days 30    days of spans kept hot in D1; older ones live in the R2 archive
//   --bytes-per-span N     D1 bytes per span; default: measured now (bench/span-bytes.mjs)
//   --payload-bytes 0      extra inline payload per span beyond the bench's short inputs/outputs
//   --peak 3               peak-to-average write rate
//   --writer-spans-per-s 20000   one database's single-writer budget for ingest (see docs)
//   --months 36            horizon
//   --isolate-above 0.5    a tenant whose hot data would exceed this share of a shard is a "whale":
//                          it gets a database of its own and a hot window that fits it
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { placeTenant } = await import(new URL("../worker/tenants/placement.ts", import.meta.url).href);

const { values: o } = parseArgs({
  options: {
    tenants: { type: "string", default: "10000" },
    spans: { type: "string", default: "1e9" },
    growth: { type: "string", default: "0.05" },
    zipf: { type: "string", default: "1.0" },
    shards: { type: "string", default: "256" },
    weights: { type: "string" },
    "retention-days": { type: "string", default: "30" },
    "bytes-per-span": { type: "string" },
    "payload-bytes": { type: "string", default: "0" },
    peak: { type: "string", default: "3" },
    "writer-spans-per-s": { type: "string", default: "20000" },
    months: { type: "string", default: "36" },
    "isolate-above": { type: "string", default: "0.5" },
    json: { type: "boolean", default: false },
  },
});
const num = (k) => {
  const v = Number(o[k]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${k}: not a number: ${o[k]}`);
  return v;
};

const GB = 1e9;
const D1_MAX_BYTES = 10 * GB; // developers.cloudflare.com/d1/platform/limits/
const D1_ACCOUNT_BYTES = 1000 * GB; // ibid.: 1 TB per account (Workers Paid)
const MAX_BINDINGS = 5000; // ibid.: about 5,000 bindings per Worker script
const SECONDS_PER_MONTH = 30 * 86400;

async function bytesPerSpan() {
  if (o["bytes-per-span"]) return { bytes: num("bytes-per-span"), measured: null };
  const { measureSpanBytes } = await import("../bench/span-bytes.mjs");
  const measured = measureSpanBytes();
  return { bytes: measured.bytes_per_span, measured };
}

function shardList() {
  if (o.weights)
    return o.weights.split(",").map((p) => ({ name: p.split(":")[0], weight: Number(p.split(":")[1] ?? 1) }));
  return Array.from({ length: num("shards") }, (_, i) => ({ name: i ? `DB${i + 1}` : "DB", weight: 1 }));
}

/** Spans/month per tenant in month 1: Zipf over ranks, ids in sign-up order (rank is unrelated to id). */
function tenantSizes(n, total, s) {
  const w = Array.from({ length: n }, (_, r) => 1 / (r + 1) ** s);
  const sum = w.reduce((a, b) => a + b, 0);
  // Shuffle ranks over ids deterministically, so the largest tenants are not the first sign-ups.
  const ids = Array.from(
    { length: n },
    (_, i) => `t_${((i * 2654435761) >>> 0).toString(36)}${i.toString(36)}`,
  );
  return ids.map((id, r) => ({ id, spansPerMonth: (total * w[r]) / sum }));
}

/** Hot bytes after `month` months: the last `retention` days of spans (the window's own growth ignored). */
const hotBytes = (spansPerMonth, month, g, retentionDays, bytes) =>
  spansPerMonth * (1 + g) ** (month - 1) * (Math.min(retentionDays, month * 30) / 30) * bytes;

async function main() {
  const { bytes: baseBytes, measured } = await bytesPerSpan();
  const bytes = baseBytes + num("payload-bytes");
  const g = num("growth");
  const retention = num("retention-days");
  const months = num("months");
  const shards = shardList();
  const tenants = tenantSizes(num("tenants"), num("spans"), num("zipf"));
  const limitShare = num("isolate-above");

  // Whales: a database each (a tenant is never split), with the hot window that keeps it under 80%.
  const whales = [];
  const placed = new Map(shards.map((s) => [s.name, { tenants: 0, spansPerMonth: 0 }]));
  for (const t of tenants) {
    if (hotBytes(t.spansPerMonth, 1, 0, retention, bytes) > limitShare * D1_MAX_BYTES) {
      const perDay = (t.spansPerMonth / 30) * bytes;
      whales.push({
        id: t.id,
        hot_gb: Number((Math.min(0.8 * D1_MAX_BYTES, perDay * retention) / GB).toFixed(2)),
        spans_per_month: Math.round(t.spansPerMonth),
        hot_days_that_fit: Number(((0.8 * D1_MAX_BYTES) / perDay).toFixed(1)),
        peak_spans_per_s: Math.round((t.spansPerMonth / SECONDS_PER_MONTH) * num("peak")),
      });
      continue;
    }
    const shard = placed.get(placeTenant(t.id, shards));
    shard.tenants += 1;
    shard.spansPerMonth += t.spansPerMonth;
  }

  const writer = num("writer-spans-per-s");
  const rows = [...placed].map(([name, s]) => {
    let overflow = null;
    let rebalance = null;
    for (let m = 1; m <= months; m++) {
      const b = hotBytes(s.spansPerMonth, m, g, retention, bytes);
      if (rebalance === null && b > 0.8 * D1_MAX_BYTES) rebalance = m;
      if (b > D1_MAX_BYTES) {
        overflow = m;
        break;
      }
    }
    const avg = s.spansPerMonth / SECONDS_PER_MONTH;
    return {
      shard: name,
      tenants: s.tenants,
      spans_per_month: Math.round(s.spansPerMonth),
      hot_gb: Number(
        (hotBytes(s.spansPerMonth, Math.ceil(retention / 30), 0, retention, bytes) / GB).toFixed(2),
      ),
      fill: Number(
        (hotBytes(s.spansPerMonth, Math.ceil(retention / 30), 0, retention, bytes) / D1_MAX_BYTES).toFixed(3),
      ),
      avg_spans_per_s: Math.round(avg),
      peak_spans_per_s: Math.round(avg * num("peak")),
      writer_share_at_peak: Number(((avg * num("peak")) / writer).toFixed(3)),
      month_at_80pct: rebalance,
      month_overflows_10gb: overflow,
    };
  });
  rows.sort((a, b) => b.fill - a.fill);
  const fills = rows.map((r) => r.fill).sort((a, b) => a - b);
  const q = (p) => fills[Math.min(fills.length - 1, Math.floor(p * fills.length))] ?? 0;
  const totalHot = rows.reduce((n, r) => n + r.hot_gb, 0) + whales.reduce((n, w) => n + w.hot_gb, 0);
  const summary = {
    inputs: {
      tenants: tenants.length,
      spans_per_month: num("spans"),
      growth_per_month: g,
      zipf: num("zipf"),
      shards: shards.length,
      retention_days: retention,
      bytes_per_span: bytes,
      bytes_per_span_measured: measured,
      peak_to_average: num("peak"),
      writer_spans_per_s: writer,
    },
    fill: { min: fills[0] ?? 0, median: q(0.5), p95: q(0.95), max: fills.at(-1) ?? 0 },
    first_rebalance_month: Math.min(...rows.map((r) => r.month_at_80pct ?? Number.POSITIVE_INFINITY)),
    first_overflow_month: Math.min(...rows.map((r) => r.month_overflows_10gb ?? Number.POSITIVE_INFINITY)),
    shards_over_writer_at_peak: rows.filter((r) => r.writer_share_at_peak > 1).length,
    max_writer_share_at_peak: Math.max(...rows.map((r) => r.writer_share_at_peak)),
    total_hot_gb: Number(totalHot.toFixed(1)),
    account_d1_storage_share: Number(((totalHot * GB) / D1_ACCOUNT_BYTES).toFixed(3)),
    databases_needed: shards.length + whales.length,
    bindings_share: Number(((shards.length + whales.length + 1) / MAX_BINDINGS).toFixed(3)),
    whales,
  };
  for (const k of ["first_rebalance_month", "first_overflow_month"])
    if (!Number.isFinite(summary[k])) summary[k] = null;

  const out = join(root, "bench", "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, "simulate-scale.json"),
    `${JSON.stringify({ ...summary, shards: rows }, null, 2)}\n`,
  );
  if (o.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  print(summary, rows);
}

function print(s, rows) {
  const i = s.inputs;
  console.log(
    `${i.tenants} tenants, ${(i.spans_per_month / 1e6).toFixed(0)} M spans/month (+${(i.growth_per_month * 100).toFixed(0)}%/month), zipf ${i.zipf}, ` +
      `${i.shards} shards, ${i.retention_days} days hot, ${i.bytes_per_span} B/span${i.bytes_per_span_measured ? " (measured)" : ""}\n`,
  );
  const cols = [
    "shard",
    "tenants",
    "spans_per_month",
    "hot_gb",
    "fill",
    "avg_spans_per_s",
    "peak_spans_per_s",
    "writer_share_at_peak",
    "month_at_80pct",
    "month_overflows_10gb",
  ];
  const shown = [
    ...rows.slice(0, 8),
    ...(rows.length > 10 ? [null] : []),
    ...rows.slice(Math.max(8, rows.length - 2)),
  ];
  const cell = (r, c) => String(r[c] ?? "—");
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  console.log(cols.map((c, k) => c.padStart(width[k])).join("  "));
  for (const r of shown)
    console.log(r ? cols.map((c, k) => cell(r, c).padStart(width[k])).join("  ") : "  …");
  console.log(
    `\nfill min/median/p95/max: ${s.fill.min} / ${s.fill.median} / ${s.fill.p95} / ${s.fill.max}` +
      `\nfirst shard at 80% (move tenants): month ${s.first_rebalance_month ?? "—"}; first over 10 GB: month ${s.first_overflow_month ?? "—"}` +
      `\npeak write rate: max ${(s.max_writer_share_at_peak * 100).toFixed(0)}% of one writer, ${s.shards_over_writer_at_peak} shards over it` +
      `\nhot D1 storage ${s.total_hot_gb} GB = ${(s.account_d1_storage_share * 100).toFixed(0)}% of the 1 TB account limit; ` +
      `${s.databases_needed} databases = ${(s.bindings_share * 100).toFixed(1)}% of ~5,000 bindings`,
  );
  for (const w of s.whales)
    console.log(
      `whale ${w.id}: ${(w.spans_per_month / 1e6).toFixed(1)} M spans/month, own database, ${w.hot_days_that_fit} days hot fit, peak ${w.peak_spans_per_s} spans/s`,
    );
  console.log("\nwrote bench/results/simulate-scale.json");
}

await main();
