// The governor inside real workerd (`wrangler dev`), not the vitest pool (which patches Function):
// a CEL rule saved through the API flags an ingested span, the evaluation is stored by the queue
// consumer, and the constitutional.alert reaches a WebSocket client of the live feed.
import assert from "node:assert/strict";
import { startServer } from "./harness.mjs";

const RULE = `
name: e2e_bulk_delete
target_span_type: tool
when: "tool.name.contains('delete')"
measure: "size(tool.arguments.?files.orValue([]))"
limit: 5
policy_group: data_safety
severity: high
`;

async function session(url) {
  const res = await fetch(`${url}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      tenant_name: "Governor e2e",
      email: `gov-${Date.now()}@example.com`,
      password: "a long password",
    }),
  });
  assert.equal(res.status, 201);
  const { csrf_token } = await res.json();
  return { cookie: res.headers.get("set-cookie").split(";")[0], csrf: csrf_token };
}

async function post(url, s, path, body, type = "application/json") {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": type, cookie: s.cookie, "x-csrf-token": s.csrf },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

function nextAlert(url, s) {
  const ws = new WebSocket(`${url.replace("http", "ws")}/ws/live`, { headers: { cookie: s.cookie } });
  const opened = new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", reject, { once: true });
  });
  const alert = new Promise((resolve) => {
    // Default frames: each is one message, as a plain client reads it.
    ws.addEventListener("message", (e) => {
      const msg = JSON.parse(String(e.data));
      if (msg.event === "constitutional.alert" && msg.payload.rule_name === "e2e_bulk_delete") resolve(msg);
    });
  });
  return { opened, alert, close: () => ws.close() };
}

const server = await startServer();
try {
  const s = await session(server.url);
  const rule = await post(server.url, s, "/api/v1/rules", RULE, "application/yaml");
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  const { key } = (await post(server.url, s, "/api/v1/api-keys", { name: "e2e", scopes: ["ingest", "read"] }))
    .body;
  const feed = nextAlert(server.url, s);
  await feed.opened;
  const started = Date.now();
  const files = Array.from({ length: 7 }, (_, i) => `f${i}`);
  const ingest = await fetch(`${server.url}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({
      traces: [{ id: "gov-e2e", agent: "janitor", started_at: new Date().toISOString() }],
      spans: [
        {
          id: "del",
          trace_id: "gov-e2e",
          type: "tool",
          name: "delete_files",
          started_at: new Date().toISOString(),
          status: "ok",
          tool: { name: "delete_files", arguments: { files } },
        },
      ],
    }),
  });
  assert.equal(ingest.status, 200);
  const alert = await Promise.race([
    feed.alert,
    new Promise((_, reject) => setTimeout(() => reject(new Error("no alert within 5 s")), 5000)),
  ]);
  feed.close();
  assert.equal(alert.payload.rule_name, "e2e_bulk_delete");
  assert.equal(alert.payload.outcome, "red");
  assert.equal(alert.payload.measured, 7);
  console.log(`ok - constitutional.alert for a red span arrived ${Date.now() - started} ms after ingest`);
  const list = await fetch(`${server.url}/api/v1/evaluations?trace_id=gov-e2e&outcome=red`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const reds = (await list.json()).data.map((e) => e.rule_name);
  assert.ok(reds.includes("e2e_bulk_delete"), `stored evaluations: ${reds}`);
  console.log("ok - evaluation stored by the queue consumer in workerd (no code generation)");
} finally {
  server.stop();
}
