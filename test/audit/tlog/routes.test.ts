import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type {
  Checkpoint,
  ConsistencyProof,
  InclusionProof,
  PublicKeyInfo,
} from "../../../worker/audit/tlog/client";
import { checkpointNow } from "../../../worker/audit/tlog/client";
import {
  fromBase64,
  fromHex,
  verifyConsistency,
  verifyInclusion,
} from "../../../worker/audit/tlog/merkle.mjs";
import { openCheckpoint, parseVkey } from "../../../worker/audit/tlog/note.mjs";
import { as, createKey, type ErrorBody, type Session, signup, withKey } from "../../helpers";
import { inviteViewer } from "../../live/sockets";
import { insertEvents } from "./rows";

/** Appends n events after whatever the tenant's own actions (sign-up, keys) already logged. */
async function appendEvents(tenantId: string, n: number): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COALESCE(MAX(seq), 0) AS max FROM audit_events WHERE tenant_id = ?",
  )
    .bind(tenantId)
    .first<{ max: number }>();
  const from = (row?.max ?? 0) + 1;
  await insertEvents(tenantId, from, from + n - 1);
  return from + n - 1;
}

async function getJson<T>(session: Session, path: string, status = 200): Promise<T> {
  const res = await as(session, path);
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as T;
}

async function loggedTenant(n = 40) {
  const owner = await signup();
  await appendEvents(owner.tenantId, n);
  const cp = await checkpointNow(env, owner.tenantId);
  return { owner, cp };
}

describe("audit proof routes", () => {
  it("serves the latest checkpoint, signed by the published key", async () => {
    const { owner, cp } = await loggedTenant();
    const served = await getJson<Checkpoint>(owner, "/api/v1/audit/checkpoint");
    expect(served).toEqual(cp);
    const key = await getJson<PublicKeyInfo>(owner, "/api/v1/audit/public-key");
    expect(key.origin).toBe(`audittrail/${owner.tenantId}`);
    const opened = await openCheckpoint(served.note, parseVkey(key.vkey));
    expect(opened.size).toBe(served.size);
  });

  it("proves every event's inclusion against the checkpoint, also at an older size", async () => {
    const { owner, cp } = await loggedTenant(12);
    const root = fromBase64(cp.root_hash);
    for (let seq = 1; seq <= cp.size; seq++) {
      const p = await getJson<InclusionProof>(owner, `/api/v1/audit/proofs/inclusion?seq=${seq}`);
      expect(p).toMatchObject({ seq, leaf_index: seq - 1, tree_size: cp.size, root_hash: cp.root_hash });
      verifyInclusion(seq - 1, cp.size, fromHex(p.leaf_hash), p.hashes.map(fromBase64), root);
    }
    const older = await getJson<InclusionProof>(owner, "/api/v1/audit/proofs/inclusion?seq=2&tree_size=3");
    verifyInclusion(
      1,
      3,
      fromHex(older.leaf_hash),
      older.hashes.map(fromBase64),
      fromBase64(older.root_hash),
    );
  });

  it("proves the latest checkpoint extends an older one", async () => {
    const { owner, cp: first } = await loggedTenant(10);
    await appendEvents(owner.tenantId, 25);
    const second = await checkpointNow(env, owner.tenantId);
    const p = await getJson<ConsistencyProof>(owner, `/api/v1/audit/proofs/consistency?from=${first.size}`);
    expect(p).toMatchObject({ from_size: first.size, to_size: second.size, from_root: first.root_hash });
    const roots = [fromBase64(first.root_hash), fromBase64(second.root_hash)] as const;
    verifyConsistency(first.size, second.size, p.hashes.map(fromBase64), ...roots);
  });

  it("says clearly when a seq or size is not covered yet, or the query makes no sense", async () => {
    const { owner, cp } = await loggedTenant(5);
    const cases: [string, number, RegExp][] = [
      [`inclusion?seq=${cp.size + 1}`, 404, /not covered by a checkpoint yet/],
      [`inclusion?seq=${cp.size}&tree_size=${cp.size + 5}`, 404, /tree_size .* not covered/],
      [`inclusion?seq=4&tree_size=3`, 400, /not in a tree of size 3/],
      ["inclusion?seq=0", 400, /query parameters/],
      ["inclusion", 400, /query parameters/],
      [`consistency?from=4&to=3`, 400, /must not exceed/],
      [`consistency?from=1&to=${cp.size + 1}`, 404, /not covered/],
      ["consistency?from=abc", 400, /query parameters/],
    ];
    for (const [path, status, message] of cases) {
      const body = await getJson<ErrorBody>(owner, `/api/v1/audit/proofs/${path}`, status);
      expect(body.error.message, path).toMatch(message);
    }
  });

  it("needs an owner or admin, and an API key with the read scope", async () => {
    const { owner } = await loggedTenant(2);
    const member = await inviteViewer(owner, "member");
    expect((await as(member, "/api/v1/audit/public-key")).status).toBe(403);
    const reader = await createKey(owner, ["read"]);
    expect((await withKey(reader.key, "/api/v1/audit/checkpoint")).status).toBe(200);
    const ingestOnly = await createKey(owner, ["ingest"]);
    expect((await withKey(ingestOnly.key, "/api/v1/audit/proofs/inclusion?seq=1")).status).toBe(403);
  });

  it("only ever shows a tenant its own log", async () => {
    const a = await loggedTenant(30);
    const b = await loggedTenant(3);
    const cpB = await getJson<Checkpoint>(b.owner, "/api/v1/audit/checkpoint");
    expect(cpB.origin).toBe(`audittrail/${b.owner.tenantId}`);
    expect(cpB.size).toBe(b.cp.size);
    const body = await getJson<ErrorBody>(b.owner, `/api/v1/audit/proofs/inclusion?seq=${a.cp.size}`, 404);
    expect(body.error.message).toMatch(`latest size ${b.cp.size}`);
    const keyA = parseVkey((await getJson<PublicKeyInfo>(a.owner, "/api/v1/audit/public-key")).vkey);
    await expect(openCheckpoint(cpB.note, keyA)).rejects.toThrow(/not signed by the trusted key/);
  });
});
