/**
 * OTLP/HTTP protobuf decoding of ExportTraceServiceRequest on @bufbuild/protobuf's wire reader
 * (no codegen, no eval). Field numbers follow opentelemetry-proto `trace/v1` and `common/v1`;
 * unknown fields are skipped, a known field with the wrong wire type is an error.
 */
import { WireType } from "@bufbuild/protobuf/wire";
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
import { WireReader } from "./wire";

export { OtlpJsonRequest } from "./json-schema";
export type * from "./types";
export { MAX_ANY_VALUE_DEPTH } from "./types";

/** The body is not a well-formed ExportTraceServiceRequest (OTLP/HTTP answers 400). */
export class OtlpDecodeError extends ValidationError {
  override readonly name = "OtlpDecodeError";
}

/**
 * Reads one known field into `target`. Each reader stores one property of one message type, so
 * every store stays monomorphic (a shared `target[key] = …` setter was megamorphic and slow).
 * `depth` counts the arrays/kvlists enclosing the AnyValue being read.
 */
type FieldReader<T> = (r: WireReader, target: T, depth: number) => void;
type MessageSpec<T> = {
  name: string;
  fields: Partial<Record<number, readonly [WireType, FieldReader<T>]>>;
};

const LEN = WireType.LengthDelimited;
const VARINT = WireType.Varint;
const FIXED32 = WireType.Bit32;
const FIXED64 = WireType.Bit64;
const WIRE_NAMES = ["varint", "fixed64", "length-delimited", "group start", "group end", "fixed32"];

function readFields<T>(r: WireReader, end: number, target: T, spec: MessageSpec<T>, depth = 0) {
  while (r.pos < end) {
    const tag = r.tagValue();
    const no = tag >>> 3;
    const wireType: WireType = tag & 7;
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

function readMessage<T>(r: WireReader, target: T, spec: MessageSpec<T>, depth = 0): T {
  const length = r.uint32();
  const end = r.pos + length;
  if (end > r.len) throw new OtlpDecodeError(`${spec.name} is truncated`);
  return readFields(r, end, target, spec, depth);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

type ValueHolder = { value: AnyValue };

const arrayValueSpec: MessageSpec<{ values: AnyValue[] }> = {
  name: "ArrayValue",
  fields: { 1: [LEN, (r, t, depth) => t.values.push(readAnyValue(r, depth + 1))] },
};

const kvlistValueSpec: MessageSpec<{ values: KeyValue[] }> = {
  name: "KeyValueList",
  fields: { 1: [LEN, (r, t, depth) => t.values.push(readKeyValue(r, depth + 1))] },
};

function readArrayValue(r: WireReader, t: ValueHolder, depth: number): void {
  t.value = { arrayValue: readMessage(r, { values: [] }, arrayValueSpec, depth) };
}

function readKvlistValue(r: WireReader, t: ValueHolder, depth: number): void {
  t.value = { kvlistValue: readMessage(r, { values: [] }, kvlistValueSpec, depth) };
}

const anyValueSpec: MessageSpec<ValueHolder> = {
  name: "AnyValue",
  fields: {
    1: [LEN, (r, t) => (t.value = { stringValue: r.string() })],
    2: [VARINT, (r, t) => (t.value = { boolValue: r.bool() })],
    3: [VARINT, (r, t) => (t.value = { intValue: String(r.int64()) })],
    4: [FIXED64, (r, t) => (t.value = { doubleValue: r.double() })],
    5: [LEN, readArrayValue],
    6: [LEN, readKvlistValue],
    7: [LEN, (r, t) => (t.value = { bytesValue: toBase64(r.bytes()) })],
  },
};

function readAnyValue(r: WireReader, depth: number): AnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new OtlpDecodeError(`AnyValue is nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  return readMessage(r, { value: {} }, anyValueSpec, depth).value;
}

const keyValueSpec: MessageSpec<KeyValue> = {
  name: "KeyValue",
  fields: {
    1: [LEN, (r, kv) => (kv.key = r.internedString())],
    2: [LEN, (r, kv, depth) => (kv.value = readAnyValue(r, depth))],
  },
};

/** An attribute's own value sits at depth 1; each enclosing array or kvlist adds one. */
function readKeyValue(r: WireReader, depth = 1): KeyValue {
  return readMessage(r, { key: "", value: {} }, keyValueSpec, depth);
}

const eventSpec: MessageSpec<OtlpEvent> = {
  name: "Span.Event",
  fields: {
    1: [FIXED64, (r, e) => (e.timeUnixNano = r.fixed64Text())],
    2: [LEN, (r, e) => (e.name = r.string())],
    3: [LEN, (r, e) => e.attributes.push(readKeyValue(r))],
    4: [VARINT, (r, e) => (e.droppedAttributesCount = r.uint32())],
  },
};

const linkSpec: MessageSpec<OtlpLink> = {
  name: "Span.Link",
  fields: {
    1: [LEN, (r, l) => (l.traceId = r.hex())],
    2: [LEN, (r, l) => (l.spanId = r.hex())],
    3: [LEN, (r, l) => (l.traceState = r.string())],
    4: [LEN, (r, l) => l.attributes.push(readKeyValue(r))],
    5: [VARINT, (r, l) => (l.droppedAttributesCount = r.uint32())],
    6: [FIXED32, (r, l) => (l.flags = r.fixed32())],
  },
};

const statusSpec: MessageSpec<OtlpStatus> = {
  name: "Status",
  fields: {
    2: [LEN, (r, st) => (st.message = r.string())],
    3: [VARINT, (r, st) => (st.code = r.int32())],
  },
};

const spanSpec: MessageSpec<OtlpSpan> = {
  name: "Span",
  fields: {
    1: [LEN, (r, s) => (s.traceId = r.traceIdHex())],
    2: [LEN, (r, s) => (s.spanId = r.hex())],
    3: [LEN, (r, s) => (s.traceState = r.string())],
    4: [LEN, (r, s) => (s.parentSpanId = r.hex())],
    5: [LEN, (r, s) => (s.name = r.string())],
    6: [VARINT, (r, s) => (s.kind = r.int32())],
    7: [FIXED64, (r, s) => (s.startTimeUnixNano = r.fixed64Text())],
    8: [FIXED64, (r, s) => (s.endTimeUnixNano = r.fixed64Text())],
    9: [LEN, (r, s) => s.attributes.push(readKeyValue(r))],
    10: [VARINT, (r, s) => (s.droppedAttributesCount = r.uint32())],
    11: [LEN, (r, s) => s.events.push(readMessage(r, emptyEvent(), eventSpec))],
    12: [VARINT, (r, s) => (s.droppedEventsCount = r.uint32())],
    13: [LEN, (r, s) => s.links.push(readMessage(r, emptyLink(), linkSpec))],
    14: [VARINT, (r, s) => (s.droppedLinksCount = r.uint32())],
    15: [LEN, (r, s) => (s.status = readMessage(r, { code: 0, message: "" }, statusSpec))],
    16: [FIXED32, (r, s) => (s.flags = r.fixed32())],
  },
};

const scopeSpec: MessageSpec<OtlpScope> = {
  name: "InstrumentationScope",
  fields: {
    1: [LEN, (r, sc) => (sc.name = r.string())],
    2: [LEN, (r, sc) => (sc.version = r.string())],
    3: [LEN, (r, sc) => sc.attributes.push(readKeyValue(r))],
    4: [VARINT, (r, sc) => (sc.droppedAttributesCount = r.uint32())],
  },
};

const scopeSpansSpec: MessageSpec<OtlpScopeSpans> = {
  name: "ScopeSpans",
  fields: {
    1: [LEN, (r, ss) => (ss.scope = readMessage(r, emptyScope(), scopeSpec))],
    2: [LEN, (r, ss) => ss.spans.push(readMessage(r, emptySpan(), spanSpec))],
    3: [LEN, (r, ss) => (ss.schemaUrl = r.string())],
  },
};

const resourceSpec: MessageSpec<OtlpResource> = {
  name: "Resource",
  fields: {
    1: [LEN, (r, res) => res.attributes.push(readKeyValue(r))],
    2: [VARINT, (r, res) => (res.droppedAttributesCount = r.uint32())],
  },
};

const resourceSpansSpec: MessageSpec<OtlpResourceSpans> = {
  name: "ResourceSpans",
  fields: {
    1: [LEN, (r, rs) => (rs.resource = readMessage(r, emptyResource(), resourceSpec))],
    2: [LEN, (r, rs) => rs.scopeSpans.push(readMessage(r, emptyScopeSpans(), scopeSpansSpec))],
    3: [LEN, (r, rs) => (rs.schemaUrl = r.string())],
  },
};

const requestSpec: MessageSpec<OtlpTraceRequest> = {
  name: "ExportTraceServiceRequest",
  fields: {
    1: [LEN, (r, req) => req.resourceSpans.push(readMessage(r, emptyResourceSpans(), resourceSpansSpec))],
  },
};

/** Decodes an `application/x-protobuf` OTLP trace body; throws OtlpDecodeError when malformed. */
export function decodeExportTraceServiceRequest(bytes: Uint8Array): OtlpTraceRequest {
  const reader = new WireReader(bytes);
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
