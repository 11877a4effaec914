import { z } from "@hono/zod-openapi";

/**
 * Time bounds shared by every wire format. Storage is UTC milliseconds; a stored time must also
 * print as ISO 8601, which JavaScript dates do only within ±8.64e15 ms, so times are kept to years
 * 1970–9999 and, for times that say when something happened, at most FUTURE_SKEW_MS ahead of us.
 */
export const MIN_TIME_MS = 0;
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const FUTURE_SKEW_MS = 24 * 3600_000;

export const TIME_RANGE_TEXT = "years 1970–9999";
export const EVENT_TIME_TEXT = "years 1970–9999 and at most 24 hours in the future";

export const inTimeRange = (ms: number) => Number.isFinite(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS;

/** When something happened: in range and not more than the skew window ahead of our clock. */
export const isEventTime = (ms: number) => inTimeRange(ms) && ms <= Date.now() + FUTURE_SKEW_MS;

/** ISO 8601 text of a stored time that never throws: a bad stored row is clamped, not fatal. */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) return new Date(MIN_TIME_MS).toISOString();
  return new Date(Math.min(Math.max(ms, MIN_TIME_MS), MAX_TIME_MS)).toISOString();
}

/** As isoTime, for columns that may be empty. */
export const isoTimeOrNull = (ms: unknown): string | null =>
  typeof ms === "number" ? isoTime(ms) : ms === null || ms === undefined ? null : isoTime(Number(ms));

/** ISO 8601 with an offset, in range; for filters (`from`, `to`) and other times that are not events. */
export const IsoTime = z.iso
  .datetime({ offset: true })
  .refine((v) => inTimeRange(Date.parse(v)), `must be within ${TIME_RANGE_TEXT}`);

/** ISO 8601 with an offset, or epoch milliseconds, of something that happened; parsed to ms. */
export const EventTime = z
  .union([
    z.iso.datetime({ offset: true }),
    z.number().int().nonnegative().max(MAX_TIME_MS, `must be within ${EVENT_TIME_TEXT}`),
  ])
  .transform((v) => (typeof v === "number" ? v : Date.parse(v)))
  .refine(isEventTime, `must be within ${EVENT_TIME_TEXT}`);
