/**
 * OTLP/HTTP protobuf decoding of ExportTraceServiceRequest on @bufbuild/protobuf's wire reader
 * (no codegen, no eval). Field numbers follow opentelemetry-proto `trace/v1` and `common/v1`;
 * unknown fields are skipped, a known field with the wrong wire type is an error.
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { ValidationError } from "../../lib/errors";
import {
  type AnyValue,
  type KeyValue,
  MAX_ANY_VALUE_DEPTH,
  type OtlpEvent,
  type OtlpLink,
  type OtlpResource,
  type OtlpResourceSpans,
  type OtlpScope,
  type OtlpScopeSpans,
  type OtlpSpan,
  type OtlpStatus,
  type OtlpTraceRequest,
} from "./types";

export { OtlpJsonRequest } from "./json-schema";
export type * from "./types";
export { MAX_ANY_VALUE_DEPTH } from "./types";

/** The body is not a well-formed ExportTraceServiceRequest (OTLP/HTTP answers 400). */
export class OtlpDecodeError extends ValidationError {
  override readonly name = "OtlpDecodeError";
}

/** `depth` counts the arrays/kvlists enclosing the AnyValue being read. */
type Read<V> = (r: BinaryReader, depth: number) => V;
type FieldReader<T> = (r: BinaryReader, target: T, depth: number) => void;
type MessageSpec<T> = {
  name: string;
  fields: Partial<Record<number, readonly [WireType, FieldReader<T>]>>;
};

const LEN = WireType.LengthDelimited;
const VARINT = WireType.Varint;
const FIXED32 = WireType.Bit32;
const FIXED64 = WireType.Bit64;
const WIRE_NAMES = ["varint", "fixed64", "length-delimited", "group start", "group end", "fixed32"];

function set<T, K extends keyof T>(key: K, read: Read<T[K]>): FieldReader<T> {
  return (r, target, depth) => {
    target[key] = read(r, depth);
  };
}

function push<T, K extends keyof T>(
  key: K,
  read: Read<T[K] extends (infer E)[] ? E : never>,
): FieldReader<T> {
  return (r, target, depth) => {
    (target[key] as unknown[]).push(read(r, depth));
  };
}

function readFields<T>(r: BinaryReader, end: number, target: T, spec: MessageSpec<T>, depth = 0) {
  while (r.pos < end) {
    const [no, wireType] = r.tag();
    const field = spec.fields[no];
    if (!field) {
      r.skip(wireType, no);
    } else if (field[0] !== wireType) {
      const [got, want] = [WIRE_NAMES[wireType], WIRE_NAMES[field[0]]];
      throw new OtlpDecodeError(`${spec.name} field ${no} has wire type ${got}, expected ${want}`);
    } else {
      field[1](r, target, depth);
    }
    if (r.pos > end) throw new OtlpDecodeError(`${spec.name} field ${no} overruns its message`);
  }
  return target;
}

function readMessage<T>(r: BinaryReader, target: T, spec: MessageSpec<T>, depth = 0): T {
  const length = r.uint32();
  const end = r.pos + length;
  if (end > r.len) throw new OtlpDecodeError(`${spec.name} is truncated`);
  return readFields(r, end, target, spec, depth);
}

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const readString: Read<string> = (r) => r.string();
const readHexId: Read<string> = (r) => toHex(r.bytes());
const readNanos: Read<string> = (r) => String(r.fixed64());
const readCount: Read<number> = (r) => r.uint32();
const readFlags: Read<number> = (r) => r.fixed32();
const readEnum: Read<number> = (r) => r.int32();

const arrayValueSpec: MessageSpec<{ values: AnyValue[] }> = {
  name: "ArrayValue",
  fields: { 1: [LEN, push("values", (r, depth) => readAnyValue(r, depth + 1))] },
};

const kvlistValueSpec: MessageSpec<{ values: KeyValue[] }> = {
  name: "KeyValueList",
  fields: { 1: [LEN, push("values", (r, depth) => readKeyValue(r, depth + 1))] },
};

const anyValueSpec: MessageSpec<{ value: AnyValue }> = {
  name: "AnyValue",
  fields: {
    1: [LEN, set("value", (r) => ({ stringValue: r.string() }))],
    2: [VARINT, set("value", (r) => ({ boolValue: r.bool() }))],
    3: [VARINT, set("value", (r) => ({ intValue: String(r.int64()) }))],
    4: [FIXED64, set("value", (r) => ({ doubleValue: r.double() }))],
    5: [LEN, set("value", (r, d) => ({ arrayValue: readMessage(r, { values: [] }, arrayValueSpec, d) }))],
    6: [LEN, set("value", (r, d) => ({ kvlistValue: readMessage(r, { values: [] }, kvlistValueSpec, d) }))],
    7: [LEN, set("value", (r) => ({ bytesValue: toBase64(r.bytes()) }))],
  },
};

function readAnyValue(r: BinaryReader, depth: number): AnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new OtlpDecodeError(`AnyValue is nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  return readMessage(r, { value: {} }, anyValueSpec, depth).value;
}

const keyValueSpec: MessageSpec<KeyValue> = {
  name: "KeyValue",
  fields: { 1: [LEN, set("key", readString)], 2: [LEN, set("value", readAnyValue)] },
};

/** An attribute's own value sits at depth 1; each enclosing array or kvlist adds one. */
function readKeyValue(r: BinaryReader, depth = 1): KeyValue {
  return readMessage(r, { key: "", value: {} }, keyValueSpec, depth);
}

const readAttribute: Read<KeyValue> = (r) => readKeyValue(r);

const eventSpec: MessageSpec<OtlpEvent> = {
  name: "Span.Event",
  fields: {
    1: [FIXED64, set("timeUnixNano", readNanos)],
    2: [LEN, set("name", readString)],
    3: [LEN, push("attributes", readAttribute)],
    4: [VARINT, set("droppedAttributesCount", readCount)],
  },
};

const linkSpec: MessageSpec<OtlpLink> = {
  name: "Span.Link",
  fields: {
    1: [LEN, set("traceId", readHexId)],
    2: [LEN, set("spanId", readHexId)],
    3: [LEN, set("traceState", readString)],
    4: [LEN, push("attributes", readAttribute)],
    5: [VARINT, set("droppedAttributesCount", readCount)],
    6: [FIXED32, set("flags", readFlags)],
  },
};

const statusSpec: MessageSpec<OtlpStatus> = {
  name: "Status",
  fields: { 2: [LEN, set("message", readString)], 3: [VARINT, set("code", readEnum)] },
};

const spanSpec: MessageSpec<OtlpSpan> = {
  name: "Span",
  fields: {
    1: [LEN, set("traceId", readHexId)],
    2: [LEN, set("spanId", readHexId)],
    3: [LEN, set("traceState", readString)],
    4: [LEN, set("parentSpanId", readHexId)],
    5: [LEN, set("name", readString)],
    6: [VARINT, set("kind", readEnum)],
    7: [FIXED64, set("startTimeUnixNano", readNanos)],
    8: [FIXED64, set("endTimeUnixNano", readNanos)],
    9: [LEN, push("attributes", readAttribute)],
    10: [VARINT, set("droppedAttributesCount", readCount)],
    11: [LEN, push("events", (r) => readMessage(r, emptyEvent(), eventSpec))],
    12: [VARINT, set("droppedEventsCount", readCount)],
    13: [LEN, push("links", (r) => readMessage(r, emptyLink(), linkSpec))],
    14: [VARINT, set("droppedLinksCount", readCount)],
    15: [LEN, set("status", (r) => readMessage(r, { code: 0, message: "" }, statusSpec))],
    16: [FIXED32, set("flags", readFlags)],
  },
};

const scopeSpec: MessageSpec<OtlpScope> = {
  name: "InstrumentationScope",
  fields: {
    1: [LEN, set("name", readString)],
    2: [LEN, set("version", readString)],
    3: [LEN, push("attributes", readAttribute)],
    4: [VARINT, set("droppedAttributesCount", readCount)],
  },
};

const scopeSpansSpec: MessageSpec<OtlpScopeSpans> = {
  name: "ScopeSpans",
  fields: {
    1: [LEN, set("scope", (r) => readMessage(r, emptyScope(), scopeSpec))],
    2: [LEN, push("spans", (r) => readMessage(r, emptySpan(), spanSpec))],
    3: [LEN, set("schemaUrl", readString)],
  },
};

const resourceSpec: MessageSpec<OtlpResource> = {
  name: "Resource",
  fields: {
    1: [LEN, push("attributes", readAttribute)],
    2: [VARINT, set("droppedAttributesCount", readCount)],
  },
};

const resourceSpansSpec: MessageSpec<OtlpResourceSpans> = {
  name: "ResourceSpans",
  fields: {
    1: [LEN, set("resource", (r) => readMessage(r, emptyResource(), resourceSpec))],
    2: [LEN, push("scopeSpans", (r) => readMessage(r, emptyScopeSpans(), scopeSpansSpec))],
    3: [LEN, set("schemaUrl", readString)],
  },
};

const requestSpec: MessageSpec<OtlpTraceRequest> = {
  name: "ExportTraceServiceRequest",
  fields: {
    1: [LEN, push("resourceSpans", (r) => readMessage(r, emptyResourceSpans(), resourceSpansSpec))],
  },
};

/** Decodes an `application/x-protobuf` OTLP trace body; throws OtlpDecodeError when malformed. */
export function decodeExportTraceServiceRequest(bytes: Uint8Array): OtlpTraceRequest {
  const reader = new BinaryReader(bytes);
  try {
    return readFields(reader, reader.len, { resourceSpans: [] }, requestSpec);
  } catch (err) {
    if (err instanceof OtlpDecodeError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new OtlpDecodeError(`invalid protobuf wire data (${reason})`);
  }
}

// Proto3 defaults: a field absent on the wire keeps these values.
function emptyEvent(): OtlpEvent {
  return { timeUnixNano: "0", name: "", attributes: [], droppedAttributesCount: 0 };
}

function emptyLink(): OtlpLink {
  return {
    traceId: "",
    spanId: "",
    traceState: "",
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
  };
}

function emptySpan(): OtlpSpan {
  return {
    traceId: "",
    spanId: "",
    traceState: "",
    parentSpanId: "",
    flags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: "0",
    endTimeUnixNano: "0",
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: "" },
  };
}

function emptyScope(): OtlpScope {
  return { name: "", version: "", attributes: [], droppedAttributesCount: 0 };
}

function emptyScopeSpans(): OtlpScopeSpans {
  return { scope: emptyScope(), spans: [], schemaUrl: "" };
}

function emptyResource(): OtlpResource {
  return { attributes: [], droppedAttributesCount: 0 };
}

function emptyResourceSpans(): OtlpResourceSpans {
  return { resource: emptyResource(), scopeSpans: [], schemaUrl: "" };
}
