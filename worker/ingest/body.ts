import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "../lib/errors";

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

export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ValidationError("Malformed JSON", [
      { path: "(root)", message: String((err as Error).message) },
    ]);
  }
}
