/**
 * Bad values for a JSON Schema (as our OpenAPI 3.1 document states it): each value breaks the
 * schema, or one of the rules every route shares (nesting depth, well-formed Unicode, no
 * `__proto__` keys), so a route must refuse it with a 4xx. `skeleton` builds the smallest value a
 * schema accepts, so a body with one bad value in it reaches as deep into validation as it can.
 */

export type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  default?: unknown;
  example?: unknown;
};

/** JSON text put into a body as it is: numbers JSON cannot round-trip, `__proto__` keys. */
export class Raw {
  constructor(readonly text: string) {}
}

/** An object written key by key, so a key JSON.stringify would drop (`__proto__`) survives. */
export class Entries {
  constructor(readonly pairs: [string, unknown][]) {}
}

/** `lenient`: the schema does not forbid it (a huge number with no maximum), so any answer below 500 will do. */
export type Bad = { label: string; value: unknown; lenient?: boolean };

export function serialize(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Entries) {
    return `{${value.pairs.map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`).join(",")}}`;
  }
  if (Array.isArray(value)) return `[${value.map(serialize).join(",")}]`;
  if (value && typeof value === "object") {
    return serialize(new Entries(Object.entries(value)));
  }
  return JSON.stringify(value) ?? "null";
}

export class Resolver {
  constructor(private readonly doc: { components?: { schemas?: Record<string, Schema> } }) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    for (let hops = 0; s.$ref && hops < 20; hops++) {
      const name = s.$ref.replace("#/components/schemas/", "");
      s = this.doc.components?.schemas?.[name] ?? {};
    }
    return s;
  }
}

const types = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

const isFreeForm = (s: Schema) =>
  !s.type && !s.anyOf && !s.oneOf && !s.allOf && !s.enum && s.const === undefined;

const matches = (pattern: string, text: string) => new RegExp(pattern, "u").test(text);

export const LONE_SURROGATE = "fuzz\ud800text";
export const DEEP = new Raw(`${"[".repeat(200)}${"]".repeat(200)}`);
const deepObject = () => new Raw(`${'{"a":'.repeat(100)}1${"}".repeat(100)}`);

function skeletonString(s: Schema): string {
  if (s.format === "date-time") return new Date(Date.UTC(2026, 0, 1)).toISOString();
  if (s.format === "email") return "fuzz@example.com";
  if (s.format === "uri" || s.format === "url") return "https://example.com/hook";
  const length = Math.max(s.minLength ?? 0, 1);
  const candidates = [
    typeof s.example === "string" ? s.example : null,
    typeof s.default === "string" ? s.default : null,
    "fuzz".padEnd(length, "z"),
    "a".repeat(length),
    "1".repeat(length),
  ].filter((c): c is string => c !== null && c.length >= length && c.length <= (s.maxLength ?? 1e9));
  return candidates.find((c) => !s.pattern || matches(s.pattern, c)) ?? candidates[0] ?? "fuzz";
}

export function skeleton(schema: Schema, r: Resolver, depth = 0): unknown {
  const s = r.resolve(schema);
  if (depth > 12) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.example !== undefined && !s.properties) return s.example;
  const branch = s.anyOf?.[0] ?? s.oneOf?.[0] ?? s.allOf?.[0];
  if (branch) return skeleton(branch, r, depth + 1);
  const t = types(s).find((x) => x !== "null") ?? (isFreeForm(s) ? "object" : "null");
  switch (t) {
    case "string":
      return skeletonString(s);
    case "integer":
    case "number":
      return Math.max(s.minimum ?? 0, s.exclusiveMinimum === undefined ? 0 : s.exclusiveMinimum + 1);
    case "boolean":
      return false;
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => skeleton(s.items ?? {}, r, depth + 1));
    case "object": {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = skeleton(s.properties?.[key] ?? {}, r, depth + 1);
      return out;
    }
    default:
      return null;
  }
}

/** Values of JSON types the schema allows none of. */
function wrongTypes(s: Schema, r: Resolver): Bad[] {
  const allowed = new Set(
    (s.anyOf ?? s.oneOf ?? [s]).flatMap((b) => {
      const rb = r.resolve(b);
      if (rb.enum) return rb.enum.map((v) => (v === null ? "null" : typeof v));
      const t = types(rb);
      return t.includes("integer") ? [...t, "number"] : t;
    }),
  );
  if (allowed.size === 0) return [];
  const candidates: [string, unknown][] = [
    ["string", "fuzz"],
    ["number", 12.5],
    ["boolean", true],
    ["null", null],
    ["object", { fuzz: 1 }],
    ["array", ["fuzz"]],
  ];
  return candidates
    .filter(([t]) => !allowed.has(t) && !(t === "number" && allowed.has("integer")))
    .map(([t, value]) => ({ label: `a ${t} where the schema allows none`, value }));
}

function badStrings(s: Schema): Bad[] {
  const out: Bad[] = [{ label: "a lone surrogate", value: LONE_SURROGATE }];
  if (s.maxLength !== undefined && s.maxLength < 2_000_000) {
    out.push({ label: `${s.maxLength + 1} characters`, value: "x".repeat(s.maxLength + 1) });
  }
  if (s.minLength) out.push({ label: "too short", value: "x".repeat(s.minLength - 1) });
  if (s.pattern) {
    const off = ["fuzz value/<>", " ", "#"].find((c) => !matches(s.pattern as string, c));
    if (off !== undefined) out.push({ label: "off the pattern", value: off });
  }
  if (s.enum) out.push({ label: "not one of the values", value: "zz-not-a-value" });
  if (s.format === "date-time") {
    for (const value of [
      "+010000-01-01T00:00:00.000Z",
      "1969-12-31T23:59:59.999Z",
      "9999-12-31T23:59:60Z",
      "2026-13-45T99:99:99Z",
      "tomorrow",
    ]) {
      out.push({ label: `the time ${value}`, value });
    }
  }
  if (s.format === "email") out.push({ label: "not an email", value: "not an email" });
  if (s.format === "uri" || s.format === "url") out.push({ label: "not a URL", value: "::not a url" });
  return out;
}

function badNumbers(s: Schema, integer: boolean): Bad[] {
  const out: Bad[] = [
    { label: "1e309 (Infinity once parsed)", value: new Raw("1e309") },
    { label: "a 30-digit number", value: new Raw("9".repeat(30)), lenient: s.maximum === undefined },
    { label: "-1e30", value: new Raw("-1e30"), lenient: s.minimum === undefined },
  ];
  if (integer) out.push({ label: "a fraction", value: 1.5 });
  if (s.minimum !== undefined) out.push({ label: "below the minimum", value: s.minimum - 1 });
  if (s.maximum !== undefined) out.push({ label: "above the maximum", value: s.maximum + 1 });
  return out;
}

/**
 * Values that break `schema` where they stand. Free-form values (`{}`) accept any JSON, so only
 * the shared rules can break them.
 */
export function badValues(schema: Schema, r: Resolver): Bad[] {
  const s = r.resolve(schema);
  const shared: Bad[] = [
    { label: "200 levels of nesting", value: DEEP },
    { label: "a __proto__ key", value: new Entries([["__proto__", { admin: true }]]) },
    { label: "a lone surrogate in a key", value: new Entries([[LONE_SURROGATE, 1]]) },
  ];
  if (isFreeForm(s)) return [...shared, { label: "deep objects", value: deepObject() }];
  const branches = s.anyOf ?? s.oneOf;
  const all = types(s);
  const out = [...wrongTypes(s, r)];
  const has = (t: string) => all.includes(t) || branches?.some((b) => types(r.resolve(b)).includes(t));
  const first = (t: string) =>
    branches ? (branches.map((b) => r.resolve(b)).find((b) => types(b).includes(t)) ?? s) : s;
  if (has("string") || s.enum) out.push(...badStrings(first("string")));
  if (has("integer")) out.push(...badNumbers(first("integer"), true));
  else if (has("number")) out.push(...badNumbers(first("number"), false));
  if (has("array")) {
    const a = first("array");
    if (a.maxItems !== undefined && a.maxItems < 20_000) {
      const item = skeleton(a.items ?? {}, r);
      out.push({
        label: `${a.maxItems + 1} items`,
        value: Array.from({ length: a.maxItems + 1 }, () => item),
      });
    }
    if (a.minItems) out.push({ label: "too few items", value: [] });
  }
  if (has("object")) {
    const o = first("object");
    if (o.additionalProperties && typeof o.additionalProperties === "object") {
      const values = badValues(o.additionalProperties, r).slice(0, 6);
      out.push(
        ...values.map((b) => ({
          ...b,
          label: `a value that is ${b.label}`,
          value: new Entries([["fuzz", b.value]]),
        })),
      );
    }
    if (o.maxProperties !== undefined && o.maxProperties < 1000) {
      const pairs = Array.from({ length: o.maxProperties + 1 }, (_, i): [string, unknown] => [`k${i}`, "v"]);
      out.push({ label: `${o.maxProperties + 1} keys`, value: Object.fromEntries(pairs) });
    }
    out.push(...shared.slice(1));
  }
  if (all.length === 0 && !branches && !s.enum) out.push(...shared);
  return out;
}

/** The direct children of a skeleton object or array the schema describes, for mutation. */
export function children(schema: Schema, r: Resolver): { key: string | number; schema: Schema }[] {
  const s = r.resolve(schema);
  const branch = s.anyOf?.[0] ?? s.oneOf?.[0];
  if (branch) return children(branch, r);
  if (types(s).includes("array") && s.items) return [{ key: 0, schema: s.items }];
  return Object.entries(s.properties ?? {}).map(([key, child]) => ({ key, schema: child }));
}
