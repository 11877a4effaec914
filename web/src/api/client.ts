// One fetch wrapper for the JSON API: same-origin cookies, the session's CSRF token on mutations,
// and the error envelope turned into an ApiError the forms can render.

export type FieldIssue = { path: string; message: string };

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

type Method = "GET" | "POST" | "PATCH" | "DELETE";

let csrfToken: string | undefined;

/** Set from every session response; cleared on sign-out or a 401. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function toIssues(v: unknown): FieldIssue[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((d) =>
    isRecord(d) && typeof d.path === "string" && typeof d.message === "string"
      ? [{ path: d.path, message: d.message }]
      : [],
  );
}

async function toApiError(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof error.code === "string" ? error.code : "http_error";
  const message =
    typeof error.message === "string" ? error.message : `Request failed (${res.status} ${res.statusText})`;
  return new ApiError(res.status, code, message, toIssues(error.details));
}

async function send(method: Method, path: string, body?: unknown): Promise<Response> {
  const headers = new Headers({ accept: "application/json" });
  if (body !== undefined) headers.set("content-type", "application/json");
  if (method !== "GET" && csrfToken) headers.set("x-csrf-token", csrfToken);
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (!res.ok) throw await toApiError(res);
  return res;
}

/** A JSON request; `T` is the worker schema's output type for this route's success response. */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  return (await res.json()) as T;
}

/** A request whose success response has no body (204). */
export async function requestEmpty(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}
