import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "./errors";
import { checkJsonShape, MAX_JSON_DEPTH } from "./json-shape";

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function mediaType(req: Request): string {
  return (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

export function requireMediaType(req: Request, accepted: string[]): string {
  const type = mediaType(req);
  if (!accepted.includes(type)) throw new UnsupportedMediaTypeError(accepted);
  return type;
}

/** Reads the body (gunzipping `Content-Encoding: gzip`), refusing more than MAX_BODY_BYTES. */
export async function readBody(req: Request): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  if (!req.body) return new Uint8Array();
  const encoding = (req.headers.get("content-encoding") ?? "identity").toLowerCase();
  let stream: ReadableStream<Uint8Array> = req.body;
  if (encoding === "gzip") stream = stream.pipeThrough(new DecompressionStream("gzip"));
  else if (encoding !== "identity") throw new ValidationError(`Unsupported Content-Encoding: ${encoding}`);
  return collect(stream);
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
      parts.push(value);
    }
  } catch (err) {
    if (err instanceof PayloadTooLargeError) throw err;
    throw new ValidationError("Body could not be decompressed (bad gzip data)");
  } finally {
    reader.releaseLock();
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Parses JSON and refuses what no schema would catch (depth, lone surrogates, `__proto__`). */
export function parseJson(bytes: Uint8Array, maxDepth = MAX_JSON_DEPTH): unknown {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ValidationError("Malformed JSON", [
      { path: "(root)", message: String((err as Error).message) },
    ]);
  }
  checkJsonShape(value, maxDepth);
  return value;
}

/** A request body, read once: its bytes (gunzipped) and, for JSON media types, the parsed value. */
export type RequestBody = NonNullable<AppEnv["Variables"]["body"]>;

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/;
const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Every body goes through here before any route sees it, so the size limit, gzip, and JSON shape
 * checks hold on every route alike. The bytes also back Hono's body cache, which the OpenAPI
 * validator reads. `depthByPath` lets a wire format whose encoding is itself deep (OTLP/JSON
 * spends four levels per AnyValue) declare its allowance; free-form values keep the one limit.
 */
export function readRequestBody(depthByPath: Readonly<Record<string, number>> = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!WITH_BODY.has(c.req.method) || !c.req.raw.body) return next();
    const bytes = await readBody(c.req.raw);
    const body: RequestBody = { bytes };
    if (JSON_MEDIA.test(mediaType(c.req.raw)) && bytes.byteLength > 0) {
      body.json = parseJson(bytes, depthByPath[c.req.path] ?? MAX_JSON_DEPTH);
    }
    // Hono keeps promises in its body cache although the type names the resolved values.
    (c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(wholeBuffer(bytes));
    c.set("body", body);
    await next();
  });
}

/** The bytes as an ArrayBuffer of their own, copied only when they are a view into a larger one. */
function wholeBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}

/** The body readRequestBody kept (empty when the request had none). */
export function requestBody(c: Context<AppEnv>): RequestBody {
  return c.var.body ?? { bytes: new Uint8Array() };
}
