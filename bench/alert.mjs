// Governor latency: ingest request start → `constitutional.alert` received on /ws/live, through the
// real path (ingest → GOVERNOR_QUEUE → consumer → D1 → TenantHub) under `wrangler dev`. The tenant
// keeps its default packs (26 rules) plus one rule that turns every benchmark span red.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalServer } from "../scripts/local-server.mjs";
import { envInt, latencySummary, log, waitForQuiet, writeResult } from "./lib.mjs";
import { ROOT } from "./server.mjs";

const GOAL_P95_MS = 1000;
const WARMUP = 3;
const TIMEOUT_MS = 10_000;
const RULE = `name: bench_always_red
target_span_type: tool
when: "tool.name == 'bench_tool'"
measure: "size(tool.arguments.?items.orValue([]))"
limit: 1
policy_group: bench
severity: low
`;

async function setUp(base) {
  const tag = randomBytes(6).toString("hex");
  const res = await fetch(`${base}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.9.${tag.charCodeAt(0)}.1` },
    body: JSON.stringify({
      tenant_name: `alert ${tag}`,
      email: `alert-${tag}@example.com`,
      password: `pw-${tag}-long`,
    }),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const { csrf_token } = await res.json();
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const headers = { cookie, "x-csrf-token": csrf_token };
  const rule = await fetch(`${base}/api/v1/rules`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/yaml" },
    body: RULE,
  });
  if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${await rule.text()}`);
  const key = await fetch(`${base}/api/v1/api-keys`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ name: "alert bench", scopes: ["ingest"] }),
  });
  return { cookie, key: (await key.json()).key };
}

function listen(url, cookie, arrivals) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/ws/live`, { headers: { cookie } });
    ws.onerror = () => reject(new Error("socket error"));
    // Default frames: each is one message.
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      if (msg.event === "feed.ready") resolve(ws);
      if (msg.event === "constitutional.alert" && msg.payload.rule_name === "bench_always_red") {
        arrivals.set(msg.payload.span_id, performance.now());
      }
    };
  });
}

function body(n) {
  const trace = `alert-${n}-${randomBytes(3).toString("hex")}`;
  const now = Date.now();
  const spans = [
    {
      id: `${trace}-llm`,
      trace_id: trace,
      type: "llm",
      name: "plan",
      started_at: now,
      ended_at: now + 5,
      status: "ok",
      model: "gpt-4o-mini",
      usage: { input_tokens: 200, output_tokens: 40 },
    },
    {
      id: `${trace}-tool`,
      trace_id: trace,
      type: "tool",
      name: "bench_tool",
      started_at: now + 5,
      ended_at: now + 9,
      status: "ok",
      tool: { name: "bench_tool", arguments: { items: [1, 2, 3] } },
    },
  ];
  return {
    spanId: `${trace}-tool`,
    json: JSON.stringify({
      traces: [{ id: trace, agent: "alert-bench", started_at: now, ended_at: now + 10 }],
      spans,
    }),
  };
}

async function measure(base, key, arrivals, count) {
  const latencies = [];
  let missing = 0;
  for (let n = 0; n < count + WARMUP; n++) {
    const { spanId, json } = body(n);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/traces/ingest`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: json,
    });
    if (res.status !== 200) throw new Error(`ingest: ${res.status} ${await res.text()}`);
    const deadline = Date.now() + TIMEOUT_MS;
    while (!arrivals.has(spanId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    if (n < WARMUP) continue;
    if (arrivals.has(spanId)) latencies.push(arrivals.get(spanId) - t0);
    else missing += 1;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { latencies, missing };
}

export async function run() {
  const count = envInt("BENCH_ALERTS", 60);
  mkdirSync(join(ROOT, "web/dist"), { recursive: true });
  const persistTo = mkdtempSync(join(tmpdir(), "audittrail-alert-"));
  const server = await startLocalServer({ persistTo });
  let ws;
  try {
    const { cookie, key } = await setUp(server.url);
    const arrivals = new Map();
    await waitForQuiet();
    ws = await listen(server.url, cookie, arrivals);
    log(`alert: ${count} ingests, each with one span that a rule turns red`);
    const { latencies, missing } = await measure(server.url, key, arrivals, count);
    const figures = {
      constitutional_alert: { ...latencySummary(latencies), goal_p95_ms: GOAL_P95_MS },
      missing,
    };
    const a = figures.constitutional_alert;
    log(
      `  ingest → constitutional.alert: p50 ${a.p50_ms} ms, p95 ${a.p95_ms} ms (goal p95 ≤ ${GOAL_P95_MS} ms: ${a.p95_ms <= GOAL_P95_MS ? "met" : "MISSED"})`,
    );
    if (missing) log(`  MISSING: ${missing} alerts never arrived`);
    return writeResult("alert", { alerts: count, warmup: WARMUP, rules: "default packs + 1" }, figures);
  } finally {
    ws?.close();
    server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
