/**
 * OTLP/JSON ExportTraceServiceRequest. Lenient where real exporters differ (int64 and times as
 * numbers or strings, enums as numbers or names, base64 ids from older exporters) but typed:
 * the output is the same OtlpTraceRequest the protobuf decoder returns. Unknown fields are dropped.
 * Ids are not checked here; the mapper rejects bad ones span by span (OTLP partial success).
 */
import { z } from "@hono/zod-openapi";
import { type AnyValue, type KeyValue, MAX_ANY_VALUE_DEPTH, type OtlpTraceRequest } from "./types";

const SPAN_KINDS = [
  "SPAN_KIND_UNSPECIFIED",
  "SPAN_KIND_INTERNAL",
  "SPAN_KIND_SERVER",
  "SPAN_KIND_CLIENT",
  "SPAN_KIND_PRODUCER",
  "SPAN_KIND_CONSUMER",
];
const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

function protoEnum(names: readonly string[]) {
  return z
    .union([z.number().int().nonnegative(), z.string().refine((s) => names.includes(s), "unknown enum name")])
    .transform((v) => (typeof v === "number" ? v : names.indexOf(v)))
    .default(0);
}

// Not `.int()`: zod caps that at 2^53, and int64 values and nanosecond times exceed it.
const isWhole = (n: number) => Number.isInteger(n);

const Int64 = z
  .union([
    z.number().refine(isWhole, "expected an integer"),
    z.string().regex(/^-?\d+$/, "expected a decimal integer"),
  ])
  .transform((v) => BigInt(v).toString());

const UnixNanos = z
  .union([
    z.number().nonnegative().refine(isWhole, "expected an integer"),
    z.string().regex(/^\d+$/, "expected unsigned integer nanoseconds"),
  ])
  .transform((v) => BigInt(v).toString())
  .default("0");

const Double = z
  .union([
    z.number(),
    z.string().refine((s) => s === "NaN" || (s.trim() !== "" && !Number.isNaN(Number(s))), {
      error: "expected a number",
    }),
  ])
  .transform(Number);

const Count = z.number().int().nonnegative().default(0);
const Text = z.string().default("");

/** Hex per the OTLP/JSON spec; base64 of the right length is accepted from older exporters. */
function hexId(byteLength: number) {
  return z
    .string()
    .transform((value) => {
      if (/^[0-9a-f]*$/i.test(value)) return value.toLowerCase();
      const bytes = base64Bytes(value);
      if (bytes?.length !== byteLength) return value;
      return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    })
    .default("");
}

function base64Bytes(value: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

type AnyValueFields = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
  kvlistValue?: { values: KeyValue[] };
  bytesValue?: string;
};

/** Proto `oneof`: the first field present wins, none present is the empty value. */
function pickAnyValue(v: AnyValueFields): AnyValue {
  if (v.stringValue !== undefined) return { stringValue: v.stringValue };
  if (v.boolValue !== undefined) return { boolValue: v.boolValue };
  if (v.intValue !== undefined) return { intValue: v.intValue };
  if (v.doubleValue !== undefined) return { doubleValue: v.doubleValue };
  if (v.arrayValue !== undefined) return { arrayValue: v.arrayValue };
  if (v.kvlistValue !== undefined) return { kvlistValue: v.kvlistValue };
  if (v.bytesValue !== undefined) return { bytesValue: v.bytesValue };
  return {};
}

const anyValueSchemas = new Map<number, z.ZodType<AnyValue>>();

/** `depth` counts enclosing arrays/kvlists, as in the protobuf decoder (1 for an attribute). */
function anyValueAt(depth: number): z.ZodType<AnyValue> {
  const cached = anyValueSchemas.get(depth);
  if (cached) return cached;
  const schema =
    depth > MAX_ANY_VALUE_DEPTH
      ? z.never({ error: `AnyValue is nested deeper than ${MAX_ANY_VALUE_DEPTH} levels` })
      : z
          .object({
            stringValue: z.string().optional(),
            boolValue: z.boolean().optional(),
            intValue: Int64.optional(),
            doubleValue: Double.optional(),
            arrayValue: z
              .object({ values: z.array(z.lazy(() => anyValueAt(depth + 1))).default(() => []) })
              .optional(),
            kvlistValue: z
              .object({ values: z.array(z.lazy(() => keyValueAt(depth + 1))).default(() => []) })
              .optional(),
            bytesValue: z.string().optional(),
          })
          .transform(pickAnyValue);
  anyValueSchemas.set(depth, schema);
  return schema;
}

function keyValueAt(depth: number) {
  return z.object({ key: Text, value: anyValueAt(depth).default(() => ({})) });
}

const Attributes = z.array(keyValueAt(1)).default(() => []);

const Event = z.object({
  timeUnixNano: UnixNanos,
  name: Text,
  attributes: Attributes,
  droppedAttributesCount: Count,
});

const Link = z.object({
  traceId: hexId(16),
  spanId: hexId(8),
  traceState: Text,
  attributes: Attributes,
  droppedAttributesCount: Count,
  flags: Count,
});

const Span = z.object({
  traceId: hexId(16),
  spanId: hexId(8),
  traceState: Text,
  parentSpanId: hexId(8),
  flags: Count,
  name: Text,
  kind: protoEnum(SPAN_KINDS),
  startTimeUnixNano: UnixNanos,
  endTimeUnixNano: UnixNanos,
  attributes: Attributes,
  droppedAttributesCount: Count,
  events: z.array(Event).default(() => []),
  droppedEventsCount: Count,
  links: z.array(Link).default(() => []),
  droppedLinksCount: Count,
  status: z
    .object({ code: protoEnum(STATUS_CODES), message: Text })
    .default(() => ({ code: 0, message: "" })),
});

const Scope = z
  .object({ name: Text, version: Text, attributes: Attributes, droppedAttributesCount: Count })
  .default(() => ({ name: "", version: "", attributes: [], droppedAttributesCount: 0 }));

const Resource = z
  .object({ attributes: Attributes, droppedAttributesCount: Count })
  .default(() => ({ attributes: [], droppedAttributesCount: 0 }));

const ScopeSpans = z.object({
  scope: Scope,
  spans: z.array(Span).default(() => []),
  schemaUrl: Text,
});

const ResourceSpans = z.object({
  resource: Resource,
  scopeSpans: z.array(ScopeSpans).default(() => []),
  schemaUrl: Text,
});

export const OtlpJsonRequest: z.ZodType<OtlpTraceRequest> = z.object({
  resourceSpans: z.array(ResourceSpans).default(() => []),
});
