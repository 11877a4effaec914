/** Types for cost.mjs. */
import type { PriceTable } from "./prices.mjs";

export const COUNTERS: readonly CounterName[];

export type CounterName =
  | "worker_requests"
  | "worker_cpu_ms"
  | "d1_rows_read"
  | "d1_rows_written"
  | "d1_storage_gb"
  | "queue_operations"
  | "do_requests"
  | "do_duration_gb_s"
  | "do_websocket_messages"
  | "r2_class_a"
  | "r2_class_b"
  | "r2_storage_gb";

/** Measured per million spans, in the price table's units. */
export type Counters = Record<CounterName, number>;

export type CostLine = {
  item: CounterName;
  label: string;
  unit: string;
  quantity: number;
  unit_price: number | null;
  usd: number | null;
};

export type CostResult = {
  lines: CostLine[];
  total_usd: number;
  unpriced: CounterName[];
  basis: "marginal";
  prices_checked: string;
};

export function costPerMillionSpans(counters: Counters, prices?: PriceTable): CostResult;
export function formatCost(result: CostResult): string;
/** Quantities per million spans for one ingest shape, from `npm run bench`'s results. */
export function costCounters(results: unknown, shape: string): Counters;
/** Prints and returns the cost of a million spans per ingest shape. */
export function costs(
  results: unknown,
): Record<string, CostResult & { counters: Counters; dominated_by: string }>;
