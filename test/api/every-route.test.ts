/**
 * Every operation of the OpenAPI document, checked for missing credentials (401) and for another
 * tenant's ids (404). Tenant A owns one resource of every kind a route takes an id of; tenant B
 * calls each of those routes with A's ids, with each kind of credential the route accepts, and
 * A's resources must come out as they were.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { as, createKey, type Session, signup, withKey } from "../helpers";
import {
  answer,
  type Credentials,
  documentedOperations,
  missingFor,
  type Operation,
  onlyFixedParams,
  PARAM_SOURCES,
  PUBLIC,
  request,
  urlFor,
} from "./operations";
import { BIG_INPUT, type TenantA, tenantA } from "./tenant-a";

let ops: Operation[];
let a: TenantA;
let b: { session: Session; key: string };

beforeAll(async () => {
  ops = await documentedOperations();
  a = await tenantA();
  const session = await signup();
  b = { session, key: (await createKey(session, ["ingest", "read", "audit:write"])).key };
}, 120_000);

const secured = () => ops.filter((op) => op.schemes.length > 0);
const withIds = () => ops.filter((op) => op.pathParams.length > 0 && !onlyFixedParams(op));

/** Each kind of credential `op` accepts, as the given tenant. */
function credentialsOf(op: Operation, t: { session: Session; key: string }): [string, Credentials][] {
  const out: [string, Credentials][] = [];
  if (op.schemes.includes("cookieAuth")) out.push(["session", t.session]);
  if (op.schemes.includes("bearerAuth")) out.push(["API key", { key: t.key }]);
  return out;
}

/** A's GETs of its own ids: each must answer 2xx (or open the socket), proving the ids are real. */
async function ownReads(): Promise<string[]> {
  const failed: string[] = [];
  for (const op of withIds().filter((o) => o.method === "GET")) {
    for (const [label, creds] of credentialsOf(op, a)) {
      const got = await answer(await request(op, urlFor(op, a.ids), creds));
      if (got.status >= 300 && got.status !== 101) failed.push(`${op.id} as A (${label}): ${got.status}`);
    }
  }
  return failed;
}

describe("every documented route", () => {
  it("covers the whole API and has a request for every operation", () => {
    expect(ops.length).toBeGreaterThan(60);
    expect(ops.flatMap(missingFor)).toEqual([]);
    const templates = new Set(ops.map((op) => op.template));
    expect(Object.keys(PARAM_SOURCES).filter((t) => !templates.has(t))).toEqual([]);
  });

  it("needs credentials everywhere except signing up, logging in and accepting an invitation", () => {
    const open = ops.filter((op) => op.schemes.length === 0).map((op) => op.id);
    expect(open.sort()).toEqual([...PUBLIC].sort());
  });

  it("answers 401 with the error envelope to a request without credentials", async () => {
    const wrong: string[] = [];
    for (const op of secured()) {
      const got = await answer(await request(op, urlFor(op, a.ids), null));
      if (got.status !== 401 || got.code !== "unauthorized")
        wrong.push(`${op.id}: ${got.status} ${got.code}`);
    }
    expect(wrong).toEqual([]);
    expect(secured().length).toBe(ops.length - PUBLIC.size);
  });

  it("serves tenant A its own resources on every read route that takes an id", async () => {
    expect(await ownReads()).toEqual([]);
  });

  it("answers 404 to another tenant for each of tenant A's ids, with every credential it accepts", async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const op of withIds()) {
      for (const [label, creds] of credentialsOf(op, b)) {
        calls += 1;
        const got = await answer(await request(op, urlFor(op, a.ids), creds));
        // A 404 from the router ("No route for …") would mean the request never reached the route.
        if (got.status !== 404 || got.code !== "not_found" || got.message?.startsWith("No route"))
          wrong.push(`${op.id} as B (${label}): ${got.status} ${got.code} ${got.message}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(withIds().length);
  });

  it("leaves tenant A's resources as they were after tenant B's attempts", async () => {
    expect(await ownReads()).toEqual([]);
    const get = async <T>(path: string) => {
      const res = await as(a.session, path);
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    };
    expect((await withKey(a.key, "/api/v1/traces")).status).toBe(200);
    const users = await get<{ data: { id: string; role: string }[] }>("/api/v1/users");
    expect(users.data).toEqual([expect.objectContaining({ id: a.ids.user, role: "owner" })]);
    const invitations = await get<{ data: { id: string }[] }>("/api/v1/users/invitations");
    expect(invitations.data.map((i) => i.id)).toContain(a.ids.invitation);
    const rule = await get<{ enabled: boolean; revision: number }>(`/api/v1/rules/${a.ids.rule}`);
    expect(rule).toMatchObject({ enabled: true, revision: 1 });
    const endpoint = await get<{ enabled: boolean; url: string }>(
      `/api/v1/audit/siem-endpoints/${a.ids.siemEndpoint}`,
    );
    expect(endpoint.enabled).toBe(true);
    expect(endpoint.url).not.toContain("evil.example.com");
    const approval = await get<{ status: string }>(`/api/v1/approvals/${a.ids.approval}`);
    expect(approval.status).toBe("pending");
    const alert = await get<{ acknowledged_at: string | null }>(`/api/v1/alerts/events/${a.ids.alertEvent}`);
    expect(alert.acknowledged_at).toBeNull();
    const payload = await withKey(a.key, `/api/v1/spans/${a.ids.span}/payload?field=input`);
    expect(await payload.json()).toBe(BIG_INPUT);
  });
});
