import type { BusinessHours, Weekday } from "./rules";

/** A moment as the tenant's clock shows it: local date, weekday and `HH:MM`. */
type LocalTime = { date: string; weekday: Weekday; clock: string };

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formats.set(timeZone, format);
  }
  return format;
}

export function localTime(ms: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatFor(timeZone)
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: String(parts.weekday).slice(0, 3).toLowerCase() as Weekday,
    clock: `${parts.hour}:${parts.minute}`,
  };
}

export function inBusinessHours(ms: number, hours: BusinessHours): boolean {
  const t = localTime(ms, hours.time_zone);
  return hours.days.includes(t.weekday) && t.clock >= hours.start && t.clock < hours.end;
}

/**
 * Whether the whole of [now − minutes, now] lies inside one business day: silence is judged only
 * over time the tenant expects traffic in (a quiet night or weekend is not an outage).
 */
export function windowInBusinessHours(now: number, minutes: number, hours: BusinessHours): boolean {
  const start = now - minutes * 60_000;
  if (!inBusinessHours(now, hours) || !inBusinessHours(start, hours)) return false;
  return localTime(start, hours.time_zone).date === localTime(now, hours.time_zone).date;
}
