/**
 * A DDSketch of latencies (Masson et al., VLDB 2019): each value lands in a bin whose bounds are a
 * factor γ apart, so any quantile read from the bins is within 1 % of the true value. Bins are
 * plain counts, so sketches merge by adding and a trace taken out subtracts exactly: the rollups
 * keep one per cell and ranges merge theirs without rescanning traces.
 */

/** Relative accuracy of every quantile. */
export const ACCURACY = 0.01;
const GAMMA = (1 + ACCURACY) / (1 - ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Bin of values under 1 ms (0 ms spans, clocks that disagree). */
const ZERO = "z";

/** Bin → count. Stored as JSON text in the cells. */
export type Bins = Record<string, number>;

export function binOf(ms: number): string {
  if (!(ms >= 1)) return ZERO;
  return String(Math.ceil(Math.log(ms) / LOG_GAMMA));
}

/** The value a bin stands for: the point within 1 % of everything in it. */
export function binValue(bin: string): number {
  if (bin === ZERO) return 0;
  return (2 * GAMMA ** Number(bin)) / (GAMMA + 1);
}

/** Adds `count` (negative to take out) of `bin`, dropping bins that reach 0. */
export function addBin(bins: Bins, bin: string, count: number): void {
  const next = (bins[bin] ?? 0) + count;
  if (next === 0) delete bins[bin];
  else bins[bin] = next;
}

export function mergeInto(target: Bins, source: Bins): Bins {
  for (const [bin, count] of Object.entries(source)) addBin(target, bin, count);
  return target;
}

export function parseBins(text: string | null | undefined): Bins {
  if (!text) return {};
  return JSON.parse(text) as Bins;
}

/** Bins in value order (the zero bin first). */
function ordered(bins: Bins): [string, number][] {
  return Object.entries(bins)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a === ZERO ? -1 : b === ZERO ? 1 : Number(a) - Number(b)));
}

export function total(bins: Bins): number {
  let n = 0;
  for (const count of Object.values(bins)) n += count;
  return n;
}

/**
 * Quantiles `qs` (0–1): the value of rank ⌊q·(n−1)⌋ in sorted order, as the bins know it; null
 * for an empty sketch.
 */
export function quantiles(bins: Bins, qs: readonly number[]): (number | null)[] {
  const sorted = ordered(bins);
  const n = sorted.reduce((sum, [, c]) => sum + c, 0);
  if (!n) return qs.map(() => null);
  return qs.map((q) => {
    const rank = Math.floor(q * (n - 1));
    let seen = 0;
    for (const [bin, count] of sorted) {
      seen += count;
      if (seen > rank) return round(binValue(bin));
    }
    return round(binValue(sorted[sorted.length - 1]?.[0] ?? ZERO));
  });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
