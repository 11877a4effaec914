// Audit log benchmarks (run alone: `node bench/audit.mjs`; also part of `npm run bench`).
// append: events/s recorded through POST /api/v1/audit/events with checkpointing on (batches of
//   100 from 4 clients, and single events from 16 clients), plus how long after the last
//   acknowledgement the signed checkpoint covers everything.
// query: 1M events seeded straight into the local D1 file, then filtered reads through the API.

import { createHash, randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { RARE_AUDIT_WORD, storedRow } from "./audit-data.mjs";
import { rng } from "./data.mjs";
import { envInt, latencySummary, log, waitForQuiet, writeResult } from "./lib.mjs";
import { runLoad } from "./load.mjs";
import { createTenant, startServer } from "./server.mjs";

const APPEND_GOAL = 3000;
const QUERY_GOAL_P95_MS = 50;
const DAY_MS = 86_400_000;

async function auditKey(base, tenant) {
  const res = await fetch(`${base}/api/v1/api-keys`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      cookie: tenant.session.cookie,
      "x-csrf-token": tenant.session.csrf,
    },
    body: JSON.stringify({ name: "bench audit", scopes: ["audit:write", "read"] }),
  });
  if (res.status !== 201) throw new Error(`audit key: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).key;
}

async function checkpointSize(base, key) {
  const res = await fetch(`${base}/api/v1/audit/checkpoint`, { headers: { authorization: `Bearer ${key}` } });
  return res.status === 200 ? (await res.json()).size : 0;
}

/** Seconds from the last acknowledgement until a signed checkpoint covers `size` events. */
async function checkpointLag(base, key, size, timeoutS = 120) {
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < timeoutS) {
    if ((await checkpointSize(base, key)) >= size)
      return Number(((performance.now() - t0) / 1000).toFixed(2));
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

async function headSeq(base, key) {
  const res = await fetch(`${base}/api/v1/audit/events?limit=1`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return (await res.json()).data[0]?.seq ?? 0;
}

export async function appendRun(label, { perRequest, clients, requests }) {
  const server = await startServer();
  try {
    const tenant = await createTenant(server.base);
    const key = await auditKey(server.base, tenant);
    await waitForQuiet();
    const load = await runLoad({
      url: `${server.base}/api/v1/audit/events`,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      module: "./audit-data.mjs",
      exportName: "auditBody",
      kind: "audit",
      prebuild: true,
      args: { seed: 5, perRequest },
      clients,
      requests,
      warmupPerClient: 2,
      serverPgid: server.pid,
    });
    if (load.errors.count) throw new Error(`${label}: ${load.errors.first}`);
    const head = await headSeq(server.base, key);
    const lag = await checkpointLag(server.base, key, head);
    return {
      label,
      per_request: perRequest,
      clients,
      events: load.spans,
      seconds: load.seconds,
      events_per_s: load.spans_per_s,
      requests: load.requests,
      head_seq: head,
      checkpoint_covers_all_after_s: lag,
      cpu: load.cpu,
    };
  } finally {
    await server.stop();
  }
}

function d1File(persistDir) {
  const dir = join(persistDir, "v3/d1/miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${dir}`);
  return join(dir, file);
}

/** A tenant, its owner and a session, written directly so reads can start at once. */
function seedTenant(db, tenantId) {
  const token = randomBytes(32).toString("base64url");
  const now = Date.now();
  db.prepare("INSERT INTO tenants (id, name, data_db, created_at) VALUES (?, 'bench audit', 'DB', ?)").run(
    tenantId,
    now,
  );
  db.prepare(
    "INSERT INTO users (id, tenant_id, email, password_hash, role, created_at) VALUES (?, ?, ?, 'x', 'owner', ?)",
  ).run("u_bench_owner", tenantId, `owner-${tenantId}@example.com`, now);
  db.prepare(
    "INSERT INTO sessions (id, tenant_id, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, 'csrf', ?, ?)",
  ).run(createHash("sha256").update(token).digest("hex"), tenantId, "u_bench_owner", now, now + DAY_MS);
  return `at_session=${token}`;
}

const INSERT = `INSERT INTO audit_events (tenant_id, seq, event_id, event_type, crud, occurred_at, received_at,
  actor_type, actor_id, user_id, channel, outcome, tool_name, conversation_id, risk_level, trace_id, body, leaf_hash)
  VALUES (${Array(18).fill("?").join(",")})`;

/** `total` events over the last 30 days, oldest first (seq order = time order). */
function seedEvents(file, total) {
  const db = new DatabaseSync(file);
  const tenantId = "t_bench_audit";
  const cookie = seedTenant(db, tenantId);
  const insert = db.prepare(INSERT);
  const r = rng(77);
  const start = Date.now() - 30 * DAY_MS;
  const step = (30 * DAY_MS) / total;
  const t0 = performance.now();
  db.exec("BEGIN");
  for (let i = 0; i < total; i++) {
    insert.run(...storedRow(tenantId, r, i, Math.floor(start + i * step)));
    if (i % 50_000 === 49_999) {
      db.exec("COMMIT");
      db.exec("BEGIN");
    }
  }
  db.exec("COMMIT");
  db.exec("ANALYZE");
  db.close();
  return { cookie, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
}

async function timeQuery(base, cookie, path, repeats) {
  const ms = [];
  let rows = 0;
  for (let i = 0; i < repeats + 3; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
    if (i >= 3) ms.push(performance.now() - t0);
    rows = body.data.length;
  }
  return { ...latencySummary(ms), rows, goal_p95_ms: QUERY_GOAL_P95_MS };
}

export async function queryRun(total) {
  let seeded;
  const server = await startServer({
    beforeStart: (persistDir) => {
      seeded = seedEvents(d1File(persistDir), total);
    },
  });
  try {
    const repeats = envInt("AUDIT_QUERY_REPEATS", 40);
    const since = new Date(Date.now() - DAY_MS).toISOString();
    const queries = {
      latest_page: "/api/v1/audit/events?limit=50",
      chat_refunds_over_50k_last_24h: `/api/v1/audit/events?actor_type=ai_assistant&event_type=refund.*&from=${since}&field=metadata.amount%3E%3D50000`,
      by_conversation: "/api/v1/audit/events?conversation_id=conv_1234",
      by_target: "/api/v1/audit/events?target=order_4242",
      by_user: "/api/v1/audit/events?user=u_bench07&limit=50",
      by_event_type: "/api/v1/audit/events?event_type=user.change_role&limit=50",
      high_risk_failures: "/api/v1/audit/events?risk=high&outcome=failure&limit=50",
      free_text_rare: `/api/v1/audit/events?q=${RARE_AUDIT_WORD}`,
      free_text_common: "/api/v1/audit/events?q=customer%20request&limit=50",
      last_week_tool: `/api/v1/audit/events?tool_name=refund.tool&from=${new Date(Date.now() - 7 * DAY_MS).toISOString()}&limit=50`,
    };
    const figures = {};
    await waitForQuiet();
    for (const [name, path] of Object.entries(queries)) {
      figures[name] = await timeQuery(server.base, seeded.cookie, path, repeats);
      log(
        `audit query ${name}: p50 ${figures[name].p50_ms} ms, p95 ${figures[name].p95_ms} ms (${figures[name].rows} rows)`,
      );
    }
    return { events: total, seed_seconds: seeded.seconds, queries: figures };
  } finally {
    await server.stop();
  }
}

export async function run() {
  const batched = await appendRun("batches of 100, 4 clients", {
    perRequest: 100,
    clients: 4,
    requests: envInt("AUDIT_APPEND_REQUESTS", 400),
  });
  log(
    `audit append (${batched.label}): ${batched.events_per_s} events/s, checkpoint after ${batched.checkpoint_covers_all_after_s} s`,
  );
  const single = await appendRun("single events, 16 clients", {
    perRequest: 1,
    clients: 16,
    requests: envInt("AUDIT_APPEND_SINGLE", 4000),
  });
  log(
    `audit append (${single.label}): ${single.events_per_s} events/s, checkpoint after ${single.checkpoint_covers_all_after_s} s`,
  );
  const query = await queryRun(envInt("AUDIT_QUERY_EVENTS", 1_000_000));
  const figures = { append_goal_events_per_s: APPEND_GOAL, batched, single, query };
  writeResult("audit", { checkpointing: "on (AuditLog DO alarm)" }, figures);
  return { figures };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
