/**
 * Validation of a native ingest batch. zod cannot compile its parsers on Workers (no `new
 * Function`), and interpreting IngestBatch costs ~12 µs per span, most of a batch's CPU. So the
 * common shape is checked here by hand first: `fastBatch` accepts only what IngestBatch accepts and
 * returns what IngestBatch.parse would return. On anything it is unsure of it returns null and zod
 * decides, so errors always come from the schema. test/ingest/validate.unit.test.ts holds the two
 * to equality on generated batches.
 */
import { ValidationError } from "../lib/errors";
import { zodIssuesToDetails } from "../lib/openapi";
import { FUTURE_SKEW_MS, MAX_TIME_MS, MIN_TIME_MS } from "../lib/time";
import {
  IngestBatch,
  type IngestSpan,
  type IngestTrace,
  MAX_SPANS_PER_BATCH,
  MAX_TRACES_PER_BATCH,
  SpanStatus,
  SpanType,
} from "./schemas";

/** Thrown inside the fast path: the value is outside what it decides alone. */
const UNSURE = Symbol("unsure");

type Raw = Record<string, unknown>;

function record(value: unknown): Raw {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw UNSURE;
  return value as Raw;
}

function text(value: unknown, min: number, max: number): string {
  if (typeof value !== "string" || value.length < min || value.length > max) throw UNSURE;
  return value;
}

const ID = /^[\w.:-]+$/;
function id(value: unknown): string {
  const s = text(value, 1, 128);
  if (!ID.test(s)) throw UNSURE;
  return s;
}

/** The number written by the digits s[from..to), or -1 if one is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * `YYYY-MM-DDTHH:MM:SS[.f[f[f]]]Z` naming a real calendar time, read without a regex or a Date
 * (a batch has two per span); every other ISO form goes to zod.
 */
function utcTime(s: string): number {
  const n = s.length;
  if (n < 20 || n > 24 || s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":") {
    throw UNSURE;
  }
  if (s[n - 1] !== "Z" || (n > 20 && (s[19] !== "." || n === 21))) throw UNSURE;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  const fraction = n > 21 ? digits(s, 20, n - 1) : 0;
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) throw UNSURE;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0) throw UNSURE;
  if (day > DAYS[month - 1] + (month === 2 && leap(year) ? 1 : 0)) throw UNSURE;
  const ms = n === 24 ? fraction : n === 23 ? fraction * 10 : fraction * 100;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** Event times must not be later than this; set once per batch, as zod reads the clock per value. */
let latest = 0;

function time(value: unknown): number {
  const ms = typeof value === "string" ? utcTime(value) : value;
  if (!Number.isSafeInteger(ms) || (ms as number) < MIN_TIME_MS || (ms as number) > latest) throw UNSURE;
  return ms as number;
}

const STATUSES: ReadonlySet<string> = new Set(SpanStatus.options);
const TYPES: ReadonlySet<string> = new Set(SpanType.options);
function oneOf<T extends string>(value: unknown, allowed: ReadonlySet<string>): T {
  if (typeof value !== "string" || !allowed.has(value)) throw UNSURE;
  return value as T;
}

function count(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw UNSURE;
  return value as number;
}

function attributes(value: unknown): Raw {
  const raw = record(value);
  const out: Raw = {};
  for (const key in raw) {
    if (key.length > 200 || key === "__proto__") throw UNSURE;
    out[key] = raw[key];
  }
  return out;
}

/** Sets `out[key]` from `raw[key]` when the key is present; null and wrong types are zod's to judge. */
function optional<T>(out: Raw, raw: Raw, key: string, check: (v: unknown) => T): void {
  const value = raw[key];
  if (value !== undefined) out[key] = check(value);
}

const any = (v: unknown) => v;

function trace(value: unknown): IngestTrace {
  const raw = record(value);
  const out: Raw = { id: id(raw.id), agent: text(raw.agent, 1, 200) };
  optional(out, raw, "name", (v) => text(v, 0, 500));
  out.started_at = time(raw.started_at);
  optional(out, raw, "ended_at", time);
  optional(out, raw, "status", (v) => oneOf(v, STATUSES));
  optional(out, raw, "input", any);
  optional(out, raw, "output", any);
  optional(out, raw, "user_id", (v) => text(v, 0, 200));
  optional(out, raw, "session_id", (v) => text(v, 0, 200));
  optional(out, raw, "metadata", attributes);
  optional(out, raw, "tags", tags);
  return out as IngestTrace;
}

function tags(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 50) throw UNSURE;
  return value.map((t) => text(t, 1, 100));
}

function error(value: unknown) {
  const raw = record(value);
  const out: Raw = {};
  optional(out, raw, "type", (v) => text(v, 0, 200));
  out.message = text(raw.message, 0, 10_000);
  return out;
}

function usage(value: unknown) {
  const raw = record(value);
  const out: Raw = {};
  optional(out, raw, "input_tokens", count);
  optional(out, raw, "output_tokens", count);
  optional(out, raw, "cost_usd", (v) => {
    if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) throw UNSURE;
    return v;
  });
  return out;
}

function tool(value: unknown) {
  const raw = record(value);
  const out: Raw = { name: text(raw.name, 1, 200) };
  optional(out, raw, "arguments", any);
  optional(out, raw, "result", any);
  return out;
}

function span(value: unknown): IngestSpan {
  const raw = record(value);
  const out: Raw = { id: id(raw.id), trace_id: id(raw.trace_id) };
  if (raw.parent_id !== undefined) out.parent_id = raw.parent_id === null ? null : id(raw.parent_id);
  out.type = oneOf(raw.type, TYPES);
  out.name = text(raw.name, 1, 500);
  out.started_at = time(raw.started_at);
  optional(out, raw, "ended_at", time);
  out.status = raw.status === undefined ? "unset" : oneOf(raw.status, STATUSES);
  optional(out, raw, "error", error);
  optional(out, raw, "input", any);
  optional(out, raw, "output", any);
  optional(out, raw, "model", (v) => text(v, 0, 200));
  optional(out, raw, "provider", (v) => text(v, 0, 100));
  optional(out, raw, "usage", usage);
  optional(out, raw, "tool", tool);
  optional(out, raw, "attributes", attributes);
  return out as IngestSpan;
}

function list<T>(value: unknown, max: number, item: (v: unknown) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > max) throw UNSURE;
  return value.map(item);
}

/** What IngestBatch.parse returns for `raw`, or null when only zod can say. */
export function fastBatch(raw: unknown): IngestBatch | null {
  try {
    latest = Math.min(MAX_TIME_MS, Date.now() + FUTURE_SKEW_MS);
    const body = record(raw);
    const batch = {
      traces: list(body.traces, MAX_TRACES_PER_BATCH, trace),
      spans: list(body.spans, MAX_SPANS_PER_BATCH, span),
    };
    return batch.traces.length + batch.spans.length > 0 ? batch : null;
  } catch (err) {
    if (err === UNSURE) return null;
    throw err;
  }
}

/** The validated batch, or a ValidationError listing every problem zod finds. */
export function parseIngestBatch(raw: unknown): IngestBatch {
  const fast = fastBatch(raw);
  if (fast) return fast;
  const parsed = IngestBatch.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError("Invalid ingest batch", zodIssuesToDetails(parsed.error.issues));
  }
  return parsed.data;
}
