import { z } from "@hono/zod-openapi";
import type { ErrorDetail } from "../lib/errors";
import { Detector } from "./schemas";

/**
 * Per-detector settings (docs/alerts.md, "Detectors"): what each rule row's `config` holds, with
 * the playbook's defaults. Every number has bounds and unknown keys are refused, so a typo in a
 * YAML file is a 400 naming the field rather than a setting silently ignored.
 */

const Renotify = z.number().int().min(5).max(10_080).default(240).openapi({
  description: "Minutes after which a still-firing incident is sent again (5 min – 7 days)",
});
const Enabled = z.boolean().default(true);
const MinBaseline = z.number().min(0).max(1_000_000);
const BaselineDays = z.number().int().min(3).max(60);

export const Weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
export type Weekday = z.output<typeof Weekday>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (00:00–23:59)");

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const BusinessHours = z
  .strictObject({
    time_zone: z.string().min(1).max(64).refine(isTimeZone, "not an IANA time zone").default("UTC"),
    days: z
      .array(Weekday)
      .min(1)
      .max(7)
      .default(["mon", "tue", "wed", "thu", "fri"])
      .refine((d) => new Set(d).size === d.length, "lists a day twice"),
    start: ClockTime.default("09:00"),
    end: ClockTime.default("17:00"),
  })
  .refine((h) => h.start < h.end, { path: ["end"], message: "must be after start" });
export type BusinessHours = z.output<typeof BusinessHours>;

export const SpikeConfig = z.strictObject({
  enabled: Enabled,
  factor: z.number().min(1.05).max(100).default(1.75),
  baseline_days: BaselineDays.default(14),
  min_median: MinBaseline.default(10),
  renotify_minutes: Renotify,
});

export const DropConfig = z.strictObject({
  enabled: Enabled,
  factor: z.number().min(0.01).max(0.95).default(0.4),
  baseline_days: BaselineDays.default(14),
  min_median: MinBaseline.default(10),
  silence_minutes: z.number().int().min(10).max(1440).default(120),
  business_hours: BusinessHours.default({
    time_zone: "UTC",
    days: ["mon", "tue", "wed", "thu", "fri"],
    start: "09:00",
    end: "17:00",
  }),
  renotify_minutes: Renotify,
});

export const ErrorSurgeConfig = z.strictObject({
  enabled: Enabled,
  rate: z.number().min(0.001).max(1).default(0.05),
  window_minutes: z.number().int().min(5).max(120).default(15),
  min_volume: z.number().int().min(1).max(1_000_000).default(20),
  renotify_minutes: Renotify,
});

export const NewCapabilityConfig = z.strictObject({
  enabled: Enabled,
  lookback_hours: z.number().int().min(1).max(168).default(24),
  renotify_minutes: Renotify,
});

export const DeviationConfig = z.strictObject({
  enabled: Enabled,
  sigma: z.number().min(0.5).max(10).default(2),
  baseline_days: BaselineDays.default(7),
  min_mean: MinBaseline.default(10),
  renotify_minutes: Renotify,
});

export const FreshnessConfig = z
  .strictObject({
    enabled: Enabled,
    max_lag_minutes: z.number().min(1).max(1440).default(5),
    critical_lag_minutes: z.number().min(1).max(2880).default(15),
    renotify_minutes: Renotify,
  })
  .refine((f) => f.critical_lag_minutes > f.max_lag_minutes, {
    path: ["critical_lag_minutes"],
    message: "must be more than max_lag_minutes",
  });

export const DETECTOR_CONFIGS = {
  spike: SpikeConfig,
  drop: DropConfig,
  error_surge: ErrorSurgeConfig,
  new_capability: NewCapabilityConfig,
  deviation: DeviationConfig,
  freshness: FreshnessConfig,
} as const satisfies Record<Detector, z.ZodType>;

export type DetectorConfigs = { [D in Detector]: z.output<(typeof DETECTOR_CONFIGS)[D]> };
export type RuleConfig = DetectorConfigs[Detector];

export const DETECTORS = Detector.options;

export function defaultConfig<D extends Detector>(detector: D): DetectorConfigs[D] {
  return DETECTOR_CONFIGS[detector].parse({}) as DetectorConfigs[D];
}

export function defaultConfigs(): DetectorConfigs {
  return Object.fromEntries(DETECTORS.map((d) => [d, defaultConfig(d)])) as DetectorConfigs;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

function issuesAt(prefix: string[], issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((i) => ({
    path: [...prefix, ...i.path.map(String)].join(".") || "(root)",
    message: i.message,
  }));
}

/** One detector's settings; missing fields take their defaults. */
export function checkConfig<D extends Detector>(
  detector: D,
  input: unknown,
  prefix: string[] = [],
): Checked<DetectorConfigs[D]> {
  const parsed = DETECTOR_CONFIGS[detector].safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data as DetectorConfigs[D] };
  return { ok: false, details: issuesAt(prefix, parsed.error.issues) };
}

const RulesDocument = z.strictObject({ detectors: z.record(z.string(), z.unknown()) });

/** A rules document (the YAML file): `detectors:` with any of the detectors, each checked. */
export function checkDocument(input: unknown): Checked<Partial<DetectorConfigs>> {
  const top = RulesDocument.safeParse(input);
  if (!top.success) return { ok: false, details: issuesAt([], top.error.issues) };
  const value: Partial<Record<Detector, RuleConfig>> = {};
  const details: ErrorDetail[] = [];
  for (const [name, config] of Object.entries(top.data.detectors)) {
    const detector = Detector.safeParse(name);
    if (!detector.success) {
      details.push({
        path: `detectors.${name}`,
        message: `unknown detector; one of ${DETECTORS.join(", ")}`,
      });
      continue;
    }
    const checked = checkConfig(detector.data, config ?? {}, ["detectors", name]);
    if (checked.ok) value[detector.data] = checked.value;
    else details.push(...checked.details);
  }
  return details.length ? { ok: false, details } : { ok: true, value: value as Partial<DetectorConfigs> };
}
