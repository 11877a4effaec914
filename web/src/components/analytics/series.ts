import type { Analytics } from "../../api/analytics";
import { otherColor, palette } from "./format";

export type ChartSeries = { label: string; color: string; values: (number | null)[] };
type ApiSeries = Analytics["cost_by_agent"][number];
type Point = { t: string; value: number };

const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Every bucket start in the range (epoch seconds). The server returns only buckets that had traces and
 * aligns them to UTC multiples of the bucket size, so the gaps are filled on the same grid.
 */
export function timeline(data: Analytics): number[] {
  const size = BUCKET_MS[data.bucket];
  const from = Date.parse(data.from);
  const to = Date.parse(data.to);
  const xs: number[] = [];
  for (let t = from - (from % size); t < to; t += size) xs.push(t / 1000);
  return xs;
}

/** Points spread onto the timeline; buckets without a point get `empty`. */
export function align<E extends number | null>(xs: number[], points: Point[], empty: E): (number | E)[] {
  const byT = new Map(points.map((p) => [Date.parse(p.t) / 1000, p.value]));
  return xs.map((x) => byT.get(x) ?? empty);
}

const total = (values: (number | null)[]) => values.reduce<number>((sum, v) => sum + (v ?? 0), 0);

/** The `limit` largest series by total, coloured by rank, with the rest summed into "Other". */
export function rankSeries(xs: number[], series: ApiSeries[], limit = 6): ChartSeries[] {
  const aligned = series
    .map((s) => ({ label: s.key, values: align(xs, s.points, 0) }))
    .sort((a, b) => total(b.values) - total(a.values));
  const top = aligned
    .slice(0, limit)
    .map((s, i) => ({ ...s, color: palette[i % palette.length] ?? otherColor }));
  const rest = aligned.slice(limit);
  if (rest.length === 0) return top;
  const other = xs.map((_, i) => rest.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  return [...top, { label: `Other (${rest.length})`, color: otherColor, values: other }];
}

export const seriesTotal = total;
