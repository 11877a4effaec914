/**
 * The operations of the OpenAPI document, read from the running Worker, and what a request to each
 * needs besides credentials: path values (from tenant A's resources), required query values and a
 * valid body. The tables fail loudly: an operation they cannot build a request for is an error,
 * never a silent skip.
 */
import { call } from "../helpers";
import type { Kind } from "./tenant-a";

type DocOperation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required?: boolean };
  responses?: Record<string, unknown>;
  security?: Record<string, unknown>[];
};

export type Operation = {
  /** `METHOD /template`, as the document names it. */
  id: string;
  method: string;
  template: string;
  schemes: ("cookieAuth" | "bearerAuth")[];
  pathParams: string[];
  requiredQuery: string[];
  bodyRequired: boolean;
  /** A WebSocket route (documents a 101), so requests carry `Upgrade: websocket`. */
  upgrade: boolean;
};

/** The only operations anyone may call without credentials. */
export const PUBLIC = new Set([
  "POST /api/v1/auth/signup",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/accept-invitation",
]);

/** Which of tenant A's resources each path parameter names, by path template. */
export const PARAM_SOURCES: Record<string, Record<string, Kind>> = {
  "/api/v1/users/invitations/{id}": { id: "invitation" },
  "/api/v1/users/{id}": { id: "user" },
  "/api/v1/api-keys/{id}": { id: "apiKey" },
  "/api/v1/traces/{id}": { id: "trace" },
  "/api/v1/traces/{id}/dag": { id: "trace" },
  "/api/v1/spans/{id}": { id: "span" },
  "/api/v1/spans/{id}/payload": { id: "span" },
  "/api/v1/rules/{id}": { id: "rule" },
  "/api/v1/rules/{id}/versions": { id: "rule" },
  "/api/v1/evaluations/{id}": { id: "evaluation" },
  "/api/v1/audit/events/{event_id}": { event_id: "auditEvent" },
  "/api/v1/audit/siem-endpoints/{id}": { id: "siemEndpoint" },
  "/api/v1/audit/siem-endpoints/{id}/rotate-secret": { id: "siemEndpoint" },
  "/api/v1/audit/siem-endpoints/{id}/test": { id: "siemEndpoint" },
  "/api/v1/alerts/channels/{id}": { id: "alertChannel" },
  "/api/v1/alerts/channels/{id}/test": { id: "alertChannel" },
  "/api/v1/alerts/channels/{id}/deliveries": { id: "alertChannel" },
  "/api/v1/audit/exports/{export_id}/manifest": { export_id: "export" },
  "/api/v1/audit/archive/days/{day}": { day: "archiveDay" },
  "/api/v1/approvals/{id}": { id: "approval" },
  "/api/v1/approvals/{id}/approve": { id: "approval" },
  "/api/v1/approvals/{id}/reject": { id: "approval" },
  "/api/v1/approvals/{id}/cancel": { id: "approval" },
  "/ws/traces/{traceId}": { traceId: "trace" },
  "/api/v1/alerts/events/{id}": { id: "alertEvent" },
  "/api/v1/alerts/events/{id}/acknowledge": { id: "alertEvent" },
};

/**
 * Path parameters that name one of a fixed set every tenant has (a detector), not a resource:
 * the value to send, by path template. Such routes act on the caller's own tenant, so they are
 * checked for 401 but not for another tenant's 404.
 */
export const FIXED_PARAMS: Record<string, Record<string, string>> = {
  "/api/v1/alerts/rules/{detector}": { detector: "spike" },
};

/** Whether every path parameter of `op` is a fixed name (see FIXED_PARAMS). */
export const onlyFixedParams = (op: Operation) => op.pathParams.every((p) => FIXED_PARAMS[op.template]?.[p]);

/** Valid values for required query parameters, by operation. */
export const QUERIES: Record<string, string> = {
  "GET /api/v1/spans/{id}/payload": "field=input",
  "GET /api/v1/audit/proofs/inclusion": "seq=1",
  "GET /api/v1/audit/proofs/consistency": "from=1",
};

export type Body = { json: unknown } | { yaml: string };

/** A rule as YAML, valid for POST and PUT /rules. */
export const ruleYaml = (name: string) => `
name: ${name}
description: Flags deleting many files at once
version: "1"
target_span_type: tool
when: "tool.name.contains('delete')"
measure: "size(tool.arguments.?files.orValue([]))"
limit: 5
policy_group: data_safety
severity: high
`;

/**
 * Valid bodies for operations that take an id and require a body, so a refusal is about the id,
 * not the body. Each would change tenant A's resource if it reached it.
 */
export const BODIES: Record<string, Body> = {
  "PATCH /api/v1/users/{id}": { json: { role: "viewer" } },
  "PATCH /api/v1/rules/{id}": { json: { enabled: false } },
  "PUT /api/v1/rules/{id}": { yaml: ruleYaml("rewritten_by_another_tenant") },
  "PATCH /api/v1/audit/siem-endpoints/{id}": { json: { enabled: false, url: "https://evil.example.com/" } },
  "PATCH /api/v1/alerts/channels/{id}": { json: { enabled: false, url: "https://evil.example.com/" } },
  "PUT /api/v1/alerts/rules/{detector}": { json: { factor: 2 } },
};

export async function documentedOperations(): Promise<Operation[]> {
  const res = await call("/api/v1/openapi.json");
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, DocOperation>> };
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = op.parameters ?? [];
      return {
        id: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        schemes: (op.security ?? []).flatMap((s) => Object.keys(s)) as Operation["schemes"],
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
        requiredQuery: params.filter((p) => p.in === "query" && p.required).map((p) => p.name),
        bodyRequired: op.requestBody?.required === true,
        upgrade: "101" in (op.responses ?? {}),
      };
    }),
  );
}

/** What the tables lack for an operation (empty when a full request can be built). */
export function missingFor(op: Operation): string[] {
  const missing: string[] = [];
  for (const p of op.pathParams) {
    if (!PARAM_SOURCES[op.template]?.[p] && !FIXED_PARAMS[op.template]?.[p])
      missing.push(`${op.id}: no source for {${p}}`);
  }
  if (op.requiredQuery.length && !(op.id in QUERIES)) missing.push(`${op.id}: no required query`);
  if (op.pathParams.length && op.bodyRequired && !(op.id in BODIES)) missing.push(`${op.id}: no body`);
  return missing;
}

/** The operation's path and query with tenant A's ids filled in. */
export function urlFor(op: Operation, ids: Record<Kind, string>): string {
  const problems = missingFor(op);
  if (problems.length) throw new Error(problems.join("; "));
  const path = op.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const fixed = FIXED_PARAMS[op.template]?.[name];
    if (fixed) return fixed;
    const kind = PARAM_SOURCES[op.template]?.[name] as Kind;
    return encodeURIComponent(ids[kind]);
  });
  const query = QUERIES[op.id];
  return query ? `${path}?${query}` : path;
}

export type Credentials = { cookie: string; csrf: string } | { key: string } | null;

/** A request for `op` with the given credentials (none for `null`); only the credentials vary. */
export function request(op: Operation, url: string, creds: Credentials): Promise<Response> {
  const headers = new Headers({ "cf-connecting-ip": "10.77.0.1" });
  if (op.upgrade) headers.set("upgrade", "websocket");
  if (creds && "cookie" in creds) {
    headers.set("cookie", creds.cookie);
    if (op.method !== "GET") headers.set("x-csrf-token", creds.csrf);
  }
  if (creds && "key" in creds) headers.set("authorization", `Bearer ${creds.key}`);
  const body = BODIES[op.id];
  let text: string | undefined;
  if (body && "json" in body) {
    headers.set("content-type", "application/json");
    text = JSON.stringify(body.json);
  } else if (body) {
    headers.set("content-type", "application/yaml");
    text = body.yaml;
  }
  return call(url, { method: op.method, headers, body: text });
}

/** Reads the answer and releases a socket that was (wrongly or rightly) opened. */
export async function answer(res: Response): Promise<{ status: number; code?: string; message?: string }> {
  if (res.status === 101) {
    res.webSocket?.accept();
    res.webSocket?.close(1000, "test done");
    return { status: 101 };
  }
  if (!res.headers.get("content-type")?.includes("json")) {
    await res.arrayBuffer();
    return { status: res.status };
  }
  const body = (await res.json()) as { error?: { code?: string; message?: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}
