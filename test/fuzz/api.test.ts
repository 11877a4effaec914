/**
 * Schema-driven fuzzing of the whole API (see cases.ts): every case must be answered below 500,
 * with the error envelope when refused, and write nothing. Writes are caught by triggers on every
 * table of the database, so an UPDATE counts as much as an INSERT. `npm test` runs a bounded
 * sample; `npm run fuzz` runs every case, with FUZZ_SEED to vary the random parts.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { as, call, createKey, type Session, signup, withKey } from "../helpers";
import { buildCases, type Case, type OpenApiDoc, sample } from "./cases";

/** Columns a request may touch without it counting as a write (throttled bookkeeping). */
const BOOKKEEPING = new Set(["last_used_at"]);
/** Tables a refused request may write by design: failed logins are counted to rate-limit them. */
const ALLOWED_TABLES = new Set(["login_failures", "fuzz_writes", "d1_migrations"]);

const perOperation = Number(env.FUZZ_CASES || "40");
const seed = Number(env.FUZZ_SEED || "20261203");

type Finding = { operation: string; label: string; status: number; problem: string };

async function installWriteCounter() {
  await env.DB.prepare("CREATE TABLE IF NOT EXISTS fuzz_writes (n INTEGER NOT NULL, last TEXT)").run();
  await env.DB.prepare("INSERT INTO fuzz_writes (n, last) VALUES (0, NULL)").run();
  const { results } = await env.DB.prepare(
    "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  const statements: D1PreparedStatement[] = [];
  for (const { name } of results) {
    if (ALLOWED_TABLES.has(name)) continue;
    const cols = await env.DB.prepare("SELECT name FROM pragma_table_info(?1)")
      .bind(name)
      .all<{ name: string }>();
    const watched = cols.results.map((c) => c.name).filter((c) => !BOOKKEEPING.has(c));
    const bump = (op: string) => `UPDATE fuzz_writes SET n = n + 1, last = '${name} ${op}';`;
    statements.push(
      env.DB.prepare(`CREATE TRIGGER fuzz_${name}_i AFTER INSERT ON "${name}" BEGIN ${bump("insert")} END`),
      env.DB.prepare(`CREATE TRIGGER fuzz_${name}_d AFTER DELETE ON "${name}" BEGIN ${bump("delete")} END`),
      env.DB.prepare(
        `CREATE TRIGGER fuzz_${name}_u AFTER UPDATE OF ${watched.map((c) => `"${c}"`).join(", ")} ON "${name}" BEGIN ${bump("update")} END`,
      ),
    );
  }
  await env.DB.batch(statements);
  return results.length;
}

/** After an accepted case, waits until its background work (queues, waitUntil) stops writing. */
async function settle() {
  let last = (await writes()).n;
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = (await writes()).n;
    if (now === last) return;
    last = now;
  }
}

const writes = async () =>
  (await env.DB.prepare("SELECT n, last FROM fuzz_writes").first<{ n: number; last: string | null }>()) ?? {
    n: 0,
    last: null,
  };

let owner: Session;
let key: string;
let cases: Case[];
let tables = 0;

beforeAll(async () => {
  owner = await signup();
  key = (await createKey(owner, ["ingest", "read", "audit:write"])).key;
  // Uses the key once, so its last-used time is fresh; then lets sign-up's background work finish.
  await withKey(key, "/api/v1/traces");
  await new Promise((resolve) => setTimeout(resolve, 300));
  const doc = (await (await call("/api/v1/openapi.json")).json()) as OpenApiDoc;
  const all = buildCases(doc, seed);
  cases = perOperation > 0 ? sample(all, perOperation, seed) : all;
  tables = await installWriteCounter();
}, 120_000);

function send(c: Case): Promise<Response> {
  const url = `${c.path}${c.query ? `?${c.query}` : ""}`;
  const init: RequestInit = { method: c.method, headers: c.headers, body: c.body };
  if (c.auth === "session") return as(owner, url, init);
  if (c.auth === "key") return withKey(key, url, init);
  return call(url, { ...init, headers: { ...c.headers, "cf-connecting-ip": "10.9.9.9" } });
}

function envelopeProblem(status: number, text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === "string" && typeof body.error.message === "string") return null;
  } catch {
    // falls through
  }
  return `a ${status} without the error envelope: ${text.slice(0, 120)}`;
}

async function run(c: Case, before: number): Promise<{ status: number; finding: Finding | null }> {
  const res = await send(c);
  const text = await res.text();
  const found = (problem: string) => ({
    status: res.status,
    finding: { operation: c.operation, label: c.label, status: res.status, problem },
  });
  if (res.status >= 500) return found(`server error: ${text.slice(0, 200)}`);
  if (c.expect === "refused" && res.status < 400)
    return found("accepted a value the schema or the shared rules forbid");
  if (res.status >= 400) {
    const problem = envelopeProblem(res.status, text);
    if (problem) return found(problem);
  }
  const after = await writes();
  if (after.n !== before && res.status >= 400) return found(`refused, yet wrote (${after.last})`);
  return { status: res.status, finding: null };
}

describe("fuzzing every route of the OpenAPI document", () => {
  it("never answers 5xx, refuses bad values with the error envelope, and writes nothing", async () => {
    const findings: Finding[] = [];
    const statuses = new Map<number, number>();
    for (const c of cases) {
      const before = (await writes()).n;
      const { status, finding } = await run(c, before);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (finding) findings.push(finding);
      if (status < 300) await settle();
    }
    const operations = new Set(cases.map((c) => c.operation)).size;
    console.log(
      `fuzz: seed ${seed}, ${cases.length} cases over ${operations} operations, ${tables} tables watched, ` +
        `${findings.length} findings; answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    for (const f of findings) console.log(`FINDING ${f.operation} | ${f.label} | ${f.status} | ${f.problem}`);
    expect(cases.length).toBeGreaterThan(500);
    expect(findings).toEqual([]);
    // Most refusals must come from validation, not from a door closed before it.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(cases.length / 2);
  }, 900_000);

  it("counts a write the moment one happens (the watch itself works)", async () => {
    const before = (await writes()).n;
    const res = await as(owner, "/api/v1/users/invitations", {
      method: "POST",
      json: { email: "fuzz-control@example.com", role: "viewer" },
    });
    expect(res.status).toBe(201);
    expect((await writes()).n).toBeGreaterThan(before);
  });
});
