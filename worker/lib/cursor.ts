import { ValidationError } from "./errors";
import { base64Url } from "./ids";

/** Keyset cursor for lists sorted newest first: the last row's time and id. */
export type Cursor = [at: number, id: string];

export function encodeCursor(c: Cursor): string {
  return base64Url(new TextEncoder().encode(JSON.stringify(c)));
}

export function decodeCursor(raw: string): Cursor {
  try {
    const [at, id] = JSON.parse(atob(raw.replaceAll("-", "+").replaceAll("_", "/"))) as unknown[];
    if (typeof at === "number" && typeof id === "string") return [at, id];
  } catch {}
  throw new ValidationError("Invalid cursor", [{ path: "cursor", message: "not a cursor from this API" }]);
}
