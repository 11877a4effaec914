/**
 * The detectors as pure functions of the rollups' figures (docs/alerts.md, "Detectors"). Each
 * returns the conditions that hold now; the scan turns them into incidents, and an incident whose
 * condition is no longer returned is resolved.
 */
import { windowInBusinessHours } from "./business-hours";
import type { DetectorConfigs } from "./rules";
import type { Detector, Severity } from "./schemas";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Interactions per capability per UTC day (key: the day's start, ms); a missing day is 0. */
export type DailyCounts = ReadonlyMap<string, ReadonlyMap<number, number>>;
/** Interactions and errors per capability over one window. */
export type WindowCounts = ReadonlyMap<string, { interactions: number; errors: number }>;

export type Finding = {
  detector: Detector;
  capability: string | null;
  /** Names the window in the dedup key: a UTC date, `15m`, `silence`, `first_seen`, `fold`. */
  window: string;
  windowStart: number;
  windowEnd: number;
  observed: number;
  expected: number | null;
  deltaPct: number | null;
  severity: Severity;
  summary: string;
};

export const dayStart = (ms: number) => ms - (ms % DAY);
export const dayName = (ms: number) => new Date(dayStart(ms)).toISOString().slice(0, 10);

export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function meanAndSigma(values: readonly number[]): { mean: number; sigma: number } {
  if (!values.length) return { mean: 0, sigma: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, sigma: Math.sqrt(variance) };
}

const countOn = (days: ReadonlyMap<number, number> | undefined, day: number) => days?.get(day) ?? 0;

/** The `n` days before `day`, oldest first. */
function baseline(days: ReadonlyMap<number, number> | undefined, day: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => countOn(days, day - (n - i) * DAY));
}

const deltaPct = (observed: number, expected: number) =>
  expected === 0 ? null : Math.round(((observed - expected) / expected) * 1000) / 10;

const round = (n: number) => Math.round(n * 100) / 100;

function dayFinding(
  detector: Detector,
  capability: string,
  day: number,
  observed: number,
  expected: number,
  severity: Severity,
  summary: string,
): Finding {
  return {
    detector,
    capability,
    window: dayName(day),
    windowStart: day,
    windowEnd: day + DAY,
    observed,
    expected: round(expected),
    deltaPct: deltaPct(observed, expected),
    severity,
    summary,
  };
}

/** Today so far above factor × the median of the days before: critical at twice the threshold's delta. */
export function detectSpike(daily: DailyCounts, c: DetectorConfigs["spike"], now: number): Finding[] {
  const today = dayStart(now);
  return [...daily].flatMap(([capability, days]) => {
    const med = median(baseline(days, today, c.baseline_days));
    const observed = countOn(days, today);
    if (med < c.min_median || observed <= c.factor * med) return [];
    const severity = observed >= med * (1 + 2 * (c.factor - 1)) ? "critical" : "warning";
    const summary = `${capability}: ${observed} interactions today, over ${c.factor}× the ${c.baseline_days}-day median of ${round(med)}`;
    return [dayFinding("spike", capability, today, observed, med, severity, summary)];
  });
}

/** Yesterday (a completed day) below factor × the median before it: critical below half of that. */
export function detectDrop(daily: DailyCounts, c: DetectorConfigs["drop"], now: number): Finding[] {
  const day = dayStart(now) - DAY;
  return [...daily].flatMap(([capability, days]) => {
    const med = median(baseline(days, day, c.baseline_days));
    const observed = countOn(days, day);
    if (med < c.min_median || observed >= c.factor * med) return [];
    const severity = observed < (c.factor * med) / 2 ? "critical" : "warning";
    const summary = `${capability}: ${observed} interactions on ${dayName(day)}, under ${c.factor}× the ${c.baseline_days}-day median of ${round(med)}`;
    return [dayFinding("drop", capability, day, observed, med, severity, summary)];
  });
}

/**
 * No interaction at all over the last `silence_minutes`, all of them inside business hours, for a
 * capability whose daily median clears the baseline: critical (traffic stopped).
 */
export function detectSilence(
  daily: DailyCounts,
  recent: WindowCounts,
  c: DetectorConfigs["drop"],
  now: number,
): Finding[] {
  if (!windowInBusinessHours(now, c.silence_minutes, c.business_hours)) return [];
  const today = dayStart(now);
  return [...daily].flatMap(([capability, days]): Finding[] => {
    const med = median(baseline(days, today, c.baseline_days));
    if (med < c.min_median || (recent.get(capability)?.interactions ?? 0) > 0) return [];
    const expected = round((med * c.silence_minutes) / (24 * 60));
    return [
      {
        detector: "drop",
        capability,
        window: "silence",
        windowStart: now - c.silence_minutes * MINUTE,
        windowEnd: now,
        observed: 0,
        expected,
        deltaPct: -100,
        severity: "critical",
        summary: `${capability}: no interactions for ${c.silence_minutes} minutes of business hours (${c.business_hours.time_zone})`,
      },
    ];
  });
}

/** Error rate over the window above the limit, with enough volume to mean it: critical at 2× the limit. */
export function detectErrorSurge(
  recent: WindowCounts,
  c: DetectorConfigs["error_surge"],
  now: number,
): Finding[] {
  return [...recent].flatMap(([capability, { interactions, errors }]): Finding[] => {
    const rate = interactions ? errors / interactions : 0;
    if (interactions < c.min_volume || rate <= c.rate) return [];
    const observed = round(rate * 100);
    const expected = round(c.rate * 100);
    return [
      {
        detector: "error_surge",
        capability,
        window: `${c.window_minutes}m`,
        windowStart: now - c.window_minutes * MINUTE,
        windowEnd: now,
        observed,
        expected,
        deltaPct: deltaPct(observed, expected),
        severity: rate >= 2 * c.rate ? "critical" : "warning",
        summary: `${capability}: ${errors} of ${interactions} interactions failed in ${c.window_minutes} minutes (${observed} %, limit ${expected} %)`,
      },
    ];
  });
}

/** A capability whose earliest trace started within the lookback: informational. */
export function detectNewCapability(
  firstSeen: readonly { capability: string; firstSeenAt: number }[],
  c: DetectorConfigs["new_capability"],
  now: number,
): Finding[] {
  return firstSeen
    .filter((f) => f.firstSeenAt >= now - c.lookback_hours * HOUR && f.firstSeenAt <= now)
    .map((f) => ({
      detector: "new_capability",
      capability: f.capability,
      window: "first_seen",
      windowStart: f.firstSeenAt,
      windowEnd: f.firstSeenAt + c.lookback_hours * HOUR,
      observed: 1,
      expected: null,
      deltaPct: null,
      severity: "info",
      summary: `${f.capability}: first seen at ${new Date(f.firstSeenAt).toISOString()}`,
    }));
}

/**
 * A day more than `sigma` standard deviations from the mean of the days before it: yesterday
 * either way, today only when already high (a partial day is always low). σ is at least √mean
 * (Poisson noise), so a perfectly flat baseline does not turn one extra call into an alert.
 * Critical at twice the sigma.
 */
export function detectDeviation(daily: DailyCounts, c: DetectorConfigs["deviation"], now: number): Finding[] {
  const today = dayStart(now);
  return [...daily].flatMap(([capability, days]) =>
    [today - DAY, today].flatMap((day) => {
      const { mean, sigma } = meanAndSigma(baseline(days, day, c.baseline_days));
      const spread = Math.max(sigma, Math.sqrt(mean));
      const observed = countOn(days, day);
      const z = spread ? (observed - mean) / spread : 0;
      if (mean < c.min_mean || Math.abs(z) <= c.sigma || (day === today && z < 0)) return [];
      const severity = Math.abs(z) >= 2 * c.sigma ? "critical" : "warning";
      const summary = `${capability}: ${observed} interactions on ${dayName(day)}, ${round(z)}σ from the ${c.baseline_days}-day mean of ${round(mean)}`;
      return [dayFinding("deviation", capability, day, observed, mean, severity, summary)];
    }),
  );
}

/** The analytics fold lagging: critical past `critical_lag_minutes`. */
export function detectFreshness(
  f: { lag_ms: number; state: string } | null,
  c: DetectorConfigs["freshness"],
  now: number,
): Finding[] {
  if (!f || f.state === "never") return [];
  const lag = f.lag_ms / MINUTE;
  if (lag <= c.max_lag_minutes) return [];
  return [
    {
      detector: "freshness",
      capability: null,
      window: "fold",
      windowStart: now - f.lag_ms,
      windowEnd: now,
      observed: round(lag),
      expected: c.max_lag_minutes,
      deltaPct: deltaPct(lag, c.max_lag_minutes),
      severity: lag > c.critical_lag_minutes ? "critical" : "warning",
      summary: `Analytics are ${round(lag)} minutes behind (limit ${c.max_lag_minutes})`,
    },
  ];
}
