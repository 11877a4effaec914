// Number and time formats shared by the charts, their axes, tooltips and legends.

const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function usd(v: number): string {
  if (v === 0) return "$0";
  const abs = Math.abs(v);
  if (abs >= 1000) return `$${compact.format(v)}`;
  if (abs >= 1) return `$${v.toFixed(2)}`;
  if (abs >= 0.01) return `$${v.toFixed(2)}`;
  return `$${v.toPrecision(2)}`;
}

export const count = (v: number) => (Math.abs(v) >= 10_000 ? compact.format(v) : integer.format(v));

export function ms(v: number): string {
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
  return `${(v / 60_000).toFixed(1)} min`;
}

export const percent = (v: number) => `${Number((v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0))}%`;

const hourFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", month: "short", day: "numeric" });

/** A bucket's start (epoch seconds) as the tooltip's heading. */
export const bucketLabel = (seconds: number, bucket: "hour" | "day") =>
  (bucket === "hour" ? hourFormat : dayFormat).format(new Date(seconds * 1000));

/** Distinct in light and dark, in the order series are ranked; "Other" is always the last, neutral one. */
export const palette = ["#6366f1", "#14b8a6", "#f59e0b", "#ec4899", "#0ea5e9", "#8b5cf6", "#84cc16"];
export const otherColor = "#94a3b8";
