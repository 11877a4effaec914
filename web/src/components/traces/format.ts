// Number formats shared by the traces views; all in the reader's locale.

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const usd = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 2,
});
const usdSmall = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  maximumSignificantDigits: 2,
});
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });

export const DASH = "—";

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return DASH;
  if (ms < 1000) return `${integer.format(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m ${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function formatTokens(n: number | null | undefined): string {
  if (n === null || n === undefined) return DASH;
  return n < 10_000 ? integer.format(n) : compact.format(n);
}

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatCost(usdValue: number | null | undefined): string {
  if (usdValue === null || usdValue === undefined) return DASH;
  if (usdValue === 0) return usd.format(0);
  return usdValue < 0.01 ? usdSmall.format(usdValue) : usd.format(usdValue);
}

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

const monthDay = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const shortTime = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const shortDate = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** Compact for headers: "Today, 4:11 PM", "Nov 23, 4:11 PM", or the date in another year. */
export function formatWhen(iso: string, now = new Date()): string {
  const at = new Date(iso);
  if (at.toDateString() === now.toDateString()) return `Today, ${shortTime.format(at)}`;
  if (at.getFullYear() === now.getFullYear()) return `${monthDay.format(at)}, ${shortTime.format(at)}`;
  return shortDate.format(at);
}

/** "3 min. ago"-style text for recent times, the date beyond a week. */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86_400) return relative.format(Math.round(seconds / 86_400), "day");
  return dateTime.format(new Date(iso));
}

export function sumTokens(usage: {
  input_tokens: number | null;
  output_tokens: number | null;
}): number | null {
  if (usage.input_tokens === null && usage.output_tokens === null) return null;
  return (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0);
}

/** Untrusted values as readable text: strings as they are, everything else as indented JSON. */
export function toText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
