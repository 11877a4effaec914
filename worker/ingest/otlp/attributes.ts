import type { AnyValue, KeyValue } from "./types";

/** Plain JS for an AnyValue; int64 beyond 2^53 stays a decimal string so no digit is lost. */
export function toJs(value: AnyValue): unknown {
  if ("stringValue" in value) return value.stringValue;
  if ("boolValue" in value) return value.boolValue;
  if ("intValue" in value) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : value.intValue;
  }
  if ("doubleValue" in value) {
    return Number.isFinite(value.doubleValue) ? value.doubleValue : String(value.doubleValue);
  }
  if ("arrayValue" in value) return value.arrayValue.values.map(toJs);
  if ("kvlistValue" in value) return toObject(value.kvlistValue.values);
  if ("bytesValue" in value) return value.bytesValue;
  return null;
}

/** A `__proto__` key is data, not a prototype (see `define`). */
export function toObject(list: KeyValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list) define(out, kv.key, toJs(kv.value));
  return out;
}

/**
 * A span's or resource's attributes, read by semantic-convention key. `take` marks the key it
 * used, so what remains (`rest`) is everything not already mapped onto a first-class field.
 */
export class AttributeReader {
  private readonly values = new Map<string, unknown>();
  private readonly used = new Set<string>();

  constructor(list: KeyValue[]) {
    for (const kv of list) this.values.set(kv.key, toJs(kv.value));
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** First of `keys` whose value converts, without consuming it. */
  peek<T>(keys: readonly string[], convert: (v: unknown) => T | undefined): T | undefined {
    return this.find(keys, convert)?.[1];
  }

  /** First of `keys` whose value converts; that key is left out of `rest()`. */
  take<T>(keys: readonly string[], convert: (v: unknown) => T | undefined): T | undefined {
    const found = this.find(keys, convert);
    if (!found) return undefined;
    this.used.add(found[0]);
    return found[1];
  }

  /**
   * Consumes every key matching `pattern`, e.g. the flattened `gen_ai.prompt.0.role` family.
   * Only keys starting with `prefix` are tried against the pattern.
   */
  takeMatching(prefix: string, pattern: RegExp): [RegExpExecArray, unknown][] {
    const out: [RegExpExecArray, unknown][] = [];
    for (const [key, value] of this.values) {
      if (!key.startsWith(prefix)) continue;
      const match = this.used.has(key) ? null : pattern.exec(key);
      if (!match) continue;
      this.used.add(key);
      out.push([match, value]);
    }
    return out;
  }

  rest(): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const [key, value] of this.values) {
      if (!this.used.has(key)) out.push([key, value]);
    }
    return out;
  }

  private find<T>(
    keys: readonly string[],
    convert: (v: unknown) => T | undefined,
  ): [key: string, value: T] | undefined {
    for (const key of keys) {
      if (this.used.has(key) || !this.values.has(key)) continue;
      const converted = convert(this.values.get(key));
      if (converted !== undefined) return [key, converted];
    }
    return undefined;
  }
}

/** Cuts text to a schema's max length; undefined passes through. */
export function clip<T extends string | undefined>(text: T, max: number): T {
  return (text === undefined ? text : text.slice(0, max)) as T;
}

export function asText(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

export function asCount(v: unknown): number | undefined {
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export function asAmount(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function asPresent(v: unknown): unknown {
  return v === null || v === "" ? undefined : v;
}

/**
 * Payload attributes are usually JSON text. Parse when the MIME type says JSON, or when no type
 * is given and the text looks like an object or array; otherwise keep the string.
 */
export function parseJsonish(v: unknown, mimeType?: string): unknown {
  if (typeof v !== "string") return v;
  const looksJson = mimeType ? /json/i.test(mimeType) : /^\s*[[{]/.test(v);
  if (!looksJson) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Keys cut to `maxKeyLength`, at most `maxKeys` entries, first ones kept. */
export function capEntries(
  entries: [string, unknown][],
  maxKeys: number,
  maxKeyLength = 200,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const count = Math.min(entries.length, maxKeys);
  for (let i = 0; i < count; i++) {
    const [key, value] = entries[i];
    define(out, key.length > maxKeyLength ? key.slice(0, maxKeyLength) : key, value);
  }
  return out;
}

/** `out[key] = value` as data, like `Object.fromEntries`: a `__proto__` key is not a prototype. */
function define(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    out[key] = value;
  }
}
