/** Types for prices.mjs (plain JS, as the rest of bench/, so `node bench/run.mjs` needs no build). */

export type PriceItem = {
  label: string;
  unit: string;
  /** USD per unit beyond the included allowance; null when no published figure was found. */
  usd_per_unit: number | null;
  included_per_month: number | null;
  billing_ratio?: number;
  source: string;
  note?: string;
};

export type PriceTable = { checked: string; plan: string; items: Record<string, PriceItem> };

export const PRICES: PriceTable;
