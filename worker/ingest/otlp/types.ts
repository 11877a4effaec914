/**
 * ExportTraceServiceRequest in the OTLP/JSON shape: ids are lowercase hex, int64 values and
 * nanosecond times are decimal strings, bytes are base64, absent fields hold their proto3 default.
 * Both the protobuf decoder and the JSON schema produce exactly this shape.
 */
export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } }
  | { bytesValue: string }
  | Record<string, never>;

export type KeyValue = { key: string; value: AnyValue };

export type OtlpStatus = { code: number; message: string };

export type OtlpEvent = {
  timeUnixNano: string;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
};

export type OtlpLink = {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
};

export type OtlpSpan = {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: OtlpEvent[];
  droppedEventsCount: number;
  links: OtlpLink[];
  droppedLinksCount: number;
  status: OtlpStatus;
};

export type OtlpScope = {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
};

export type OtlpScopeSpans = { scope: OtlpScope; spans: OtlpSpan[]; schemaUrl: string };

export type OtlpResource = { attributes: KeyValue[]; droppedAttributesCount: number };

export type OtlpResourceSpans = {
  resource: OtlpResource;
  scopeSpans: OtlpScopeSpans[];
  schemaUrl: string;
};

export type OtlpTraceRequest = { resourceSpans: OtlpResourceSpans[] };

/** AnyValue arrays and kvlists may nest at most this deep; deeper input is refused. */
export const MAX_ANY_VALUE_DEPTH = 32;
