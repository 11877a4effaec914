// The one way the web app calls the API: a client typed from the worker's routes (`AppType`, as
// declared in .types/ by `tsc -p tsconfig.json`), same-origin cookies, the session's CSRF token on
// every mutation (one source: setCsrfToken), and one parser that turns the error envelope into an
// ApiError the forms can render.
import { type ClientResponse, hc } from "hono/client";
import type { AppType } from "../../../.types/worker/app";

/** A field problem; rule sources also say where in the text (1-based line and column). */
export type FieldIssue = { path: string; message: string; line?: number; column?: number };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The message for one input, matched on the detail's path (`password`, `scopes.0`, …). */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.path === field || d.path.startsWith(`${field}.`))?.message;
  }
}

let csrfToken: string | undefined;

/** Set from every session response; cleared on sign-out or a 401. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const position = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

function toIssues(v: unknown): FieldIssue[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((d) => {
    if (!isRecord(d) || typeof d.path !== "string" || typeof d.message !== "string") return [];
    const line = position(d.line);
    const column = position(d.column);
    return [{ path: d.path, message: d.message, ...(line ? { line } : {}), ...(column ? { column } : {}) }];
  });
}

/** The error envelope of a failed response as an ApiError (anything else: a generic message). */
export async function toApiError(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof error.code === "string" ? error.code : "http_error";
  const message =
    typeof error.message === "string" ? error.message : `Request failed (${res.status} ${res.statusText})`;
  return new ApiError(res.status, code, message, toIssues(error.details));
}

export type QueryValue = string | number | readonly string[] | undefined;

/** A query as the client sends it: empty values left out, numbers as text, arrays repeat their key. */
export function queryOf(params: Record<string, QueryValue>): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    query[key] = Array.isArray(value) ? [...value] : String(value);
  }
  return query;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** fetch with same-origin cookies and, on mutations, the session's CSRF token. */
export const sessionFetch: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (!headers.has("accept")) headers.set("accept", "application/json");
  if (UNSAFE.has((init.method ?? "GET").toUpperCase()) && csrfToken) headers.set("x-csrf-token", csrfToken);
  return fetch(input, { ...init, headers, credentials: "same-origin" });
};

/** The API under /api/v1, typed from the worker's routes: `api.traces.$get({ query })`. */
export const api = hc<AppType>(globalThis.location?.origin ?? "http://localhost", { fetch: sessionFetch }).api
  .v1;

type Success<R> =
  R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 | 202 ? T : never) : never;

/** The body of a successful response; a failed one is thrown as an ApiError. */
export async function ok<R extends ClientResponse<unknown, number, string>>(
  call: Promise<R>,
): Promise<Success<R>> {
  const res = await call;
  if (!res.ok) throw await toApiError(res as unknown as Response);
  return (await res.json()) as Success<R>;
}

/** For responses without a body (204): resolves when the call succeeded. */
export async function done(call: Promise<ClientResponse<unknown, number, string>>): Promise<void> {
  const res = await call;
  if (!res.ok) throw await toApiError(res as unknown as Response);
}
