// Shared helpers: percentiles, environment description, result files.
import { mkdirSync, writeFileSync } from "node:fs";
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
