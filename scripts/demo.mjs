// `npm run demo`: signs up a demo tenant on a running AuditTrail, creates an API key, sends a
// realistic workload from three agents (native JSON API and OpenTelemetry) and reads it back.
//
//   AUDITTRAIL_URL   server to use (default http://localhost:8787)
//   DEMO_EMAIL, DEMO_PASSWORD   reuse an account: sign up, or sign in if it already exists

import { randomBytes } from "node:crypto";
import { ApiError, createClient, UnreachableError } from "./demo/http.mjs";
import { researchBatches } from "./demo/research-agent.mjs";
import { salesBatches } from "./demo/sales-assistant.mjs";
import { sendSupportBotTraces } from "./demo/support-bot-otlp.mjs";

const baseUrl = (process.env.AUDITTRAIL_URL ?? "http://localhost:8787").replace(/\/+$/, "");

async function main() {
  const api = createClient(baseUrl);
  await checkReachable(api);

  const account = await signUpOrLogIn(api);
  log(`Signed in as ${account.email} (tenant "${account.tenant}")`);

  const key = await api.post("/api/v1/api-keys", { name: "demo agents", scopes: ["ingest", "read"] });
  api.useKey(key.key);
  log(`Created API key ${key.prefix}…`);

  const now = Date.now();
  const research = await sendNative(api, researchBatches(now));
  log(`research-agent: ${research.traces} traces, ${research.spans} spans in ${research.requests} requests`);
  const sales = await sendNative(api, salesBatches(now));
  log(`sales-assistant: ${sales.traces} traces, ${sales.spans} spans in ${sales.requests} requests`);
  const otlp = await sendSupportBotTraces({ baseUrl, apiKey: key.key, now });
  log(`support-bot: ${otlp.traces} traces over OTLP/protobuf in ${otlp.requests} request(s)`);

  const [latest, agents] = await Promise.all([
    api.get("/api/v1/traces?limit=5", { auth: "key" }),
    api.get("/api/v1/agents", { auth: "key" }),
  ]);
  printSummary({ account, apiKey: key.key, latest: latest.data, agents: agents.data });
}

async function checkReachable(api) {
  try {
    await api.get("/healthz", { auth: "none" });
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    fail(
      `AuditTrail is not reachable at ${baseUrl} (${err.message}).\nStart it with \`npm start\`, or point AUDITTRAIL_URL at a running server.`,
    );
  }
}

async function signUpOrLogIn(api) {
  const email = process.env.DEMO_EMAIL ?? `demo+${Date.now()}@audittrail.local`;
  const password = process.env.DEMO_PASSWORD ?? `demo-${randomBytes(12).toString("base64url")}`;
  const reusing = Boolean(process.env.DEMO_EMAIL && process.env.DEMO_PASSWORD);
  let me;
  try {
    me = await api.post("/api/v1/auth/signup", { tenant_name: "Demo Co", email, password });
  } catch (err) {
    if (!(reusing && err instanceof ApiError && err.status === 409)) throw err;
    me = await logIn(api, email, password);
  }
  api.signIn(me);
  return { email: me.user.email, password, tenant: me.tenant.name };
}

async function logIn(api, email, password) {
  try {
    return await api.post("/api/v1/auth/login", { email, password });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401)
      fail(`${email} exists but DEMO_PASSWORD is not its password.`);
    throw err;
  }
}

/** Sends each trace's batches in order; a trace's batches only make sense in sequence. */
async function sendNative(api, batchesPerTrace) {
  const totals = { traces: batchesPerTrace.length, spans: 0, requests: 0 };
  for (const batches of batchesPerTrace) {
    for (const batch of batches) {
      const result = await api.post("/api/v1/traces/ingest", batch, { auth: "key" });
      totals.spans += batch.spans?.length ?? 0;
      totals.requests += 1;
      if (result.accepted.spans !== (batch.spans?.length ?? 0)) {
        throw new Error(`ingest accepted ${result.accepted.spans} of ${batch.spans.length} spans`);
      }
    }
  }
  return totals;
}

function printSummary({ account, apiKey, latest, agents }) {
  const rows = agents.map(
    (a) =>
      `    ${a.name.padEnd(18)} ${String(a.traces_24h).padStart(3)} traces  ${a.errors_24h} errors  ${a.tokens_24h} tokens  $${a.cost_usd_24h.toFixed(4)}`,
  );
  const recent = latest.map(
    (t) =>
      `    ${t.started_at.slice(11, 19)}  ${t.agent.padEnd(18)} ${(t.name ?? "").padEnd(26)} ${String(t.span_count).padStart(2)} spans  ${t.status}`,
  );
  console.log(`
Demo data is in. Open ${baseUrl} and sign in:
    email     ${account.email}
    password  ${account.password}
API key (ingest + read):
    ${apiKey}

Agents (last 24 h):
${rows.join("\n")}

Latest traces (UTC):
${recent.join("\n")}
`);
}

function log(message) {
  console.log(`• ${message}`);
}

function fail(message) {
  console.error(`\n✗ ${message}\n`);
  process.exit(1);
}

main().catch((err) => {
  fail(`Demo failed: ${err.message}`);
});
