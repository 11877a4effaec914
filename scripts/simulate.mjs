// `npm run simulate -- spike|drop|errors|new-capability`: seeds 14 days of normal fleet traffic
// through the public ingest API (backdated), then the pattern, runs the cron (fold + detectors) and
// prints the alert events, so each detector can be watched firing on a fresh `npm start`.
//
//   --base URL      server (default http://127.0.0.1:8787, a running `npm start`)
//   --key KEY       send with this API key (ingest + read scopes) instead of signing up a tenant
//   --days 14       whole days of normal traffic before today
//   --per-day 1200  interactions on a normal weekday, over all capabilities
//   --seed 1        the generator's seed (same seed, same traffic)
//   --no-scan       only send the traffic; do not run the cron (/cdn-cgi/handler/scheduled)
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { ApiError, createClient, UnreachableError } from "./demo/http.mjs";
import { PATTERN_NAMES, scenario } from "./simulate/traffic.mjs";

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: "string", default: "http://127.0.0.1:8787" },
    key: { type: "string" },
    days: { type: "string", default: "14" },
    "per-day": { type: "string", default: "1200" },
    seed: { type: "string", default: "1" },
    "no-scan": { type: "boolean", default: false },
  },
});
const base = o.base.replace(/\/+$/, "");
const CLIENTS = 2; // concurrent ingest requests
const MAX_SCANS = 30; // cron runs to wait for the fold to catch up

function usage(message) {
  console.error(`${message}\nusage: npm run simulate -- ${PATTERN_NAMES.join("|")} [--base URL] [--key KEY]`);
  process.exit(2);
}

async function signUp(api) {
  const tag = randomBytes(4).toString("hex");
  const email = `simulate+${tag}@audittrail.local`;
  const password = `simulate-${randomBytes(12).toString("base64url")}`;
  const me = await api.post("/api/v1/auth/signup", {
    tenant_name: `Simulated fleet ${tag}`,
    email,
    password,
  });
  api.signIn(me);
  const key = await api.post("/api/v1/api-keys", { name: "simulate", scopes: ["ingest", "read"] });
  return { email, password, key: key.key };
}

/** Sends the batches CLIENTS at a time; returns traces and spans accepted. */
async function send(api, batches) {
  const totals = { traces: 0, spans: 0 };
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      const res = await api.post("/api/v1/traces/ingest", batch, { auth: "key" });
      totals.traces += res.accepted.traces;
      totals.spans += res.accepted.spans;
      process.stdout.write(`\r• sent ${totals.spans} spans (${next}/${batches.length} batches)`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    `\r• sent ${totals.traces} traces, ${totals.spans} spans in ${seconds.toFixed(1)} s\n`,
  );
  return totals;
}

/** GET, or null on 404 (a route not built yet). */
async function getOrNull(api, path) {
  try {
    return await api.get(path, { auth: "key" });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** wrangler dev's cron route (/__scheduled is shadowed by the static assets' SPA fallback). */
async function scheduled() {
  const res = await fetch(`${base}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
  await res.text();
  if (!res.ok) throw new Error(`/cdn-cgi/handler/scheduled: HTTP ${res.status} (is this \`npm start\`?)`);
}

/**
 * Runs the every-minute cron until the fold reports no lag (the analytics queue folds too, in the
 * background), then once more so the detectors see everything folded.
 */
async function scan(api) {
  for (let run = 1; run <= MAX_SCANS; run++) {
    if (run > 1) await new Promise((r) => setTimeout(r, 1000));
    const t0 = performance.now();
    await scheduled();
    const ms = performance.now() - t0;
    const overview = await getOrNull(api, "/api/v1/analytics/overview");
    const f = overview?.freshness;
    console.log(
      `• cron run ${run}: ${ms.toFixed(0)} ms${f ? `; fold ${f.state}, lag ${f.lag_ms} ms, ${f.rows_folded} traces folded` : ""}`,
    );
    if (!overview)
      console.log("  (GET /api/v1/analytics/overview is 404 here: no fleet analytics on this server yet)");
    if (!f || f.lag_ms === 0) break;
  }
  await scheduled();
}

/** The detector each pattern is made to trip. */
const DETECTOR_OF = {
  spike: "spike",
  drop: "drop",
  errors: "error_surge",
  "new-capability": "new_capability",
};
const SETTLE_WAIT_MS = 90_000;

/**
 * The count-based detectors (spike, drop, deviation) hold while history is arriving and for a
 * minute after (docs/alerts.md): fire the cron every 5 s until the pattern's detector answers.
 */
async function waitForDetector(api, name) {
  const detector = DETECTOR_OF[name];
  const deadline = Date.now() + SETTLE_WAIT_MS;
  let said = false;
  for (;;) {
    const body = await getOrNull(api, `/api/v1/alerts/events?detector=${detector}`);
    if (!body || (body.data ?? []).length || Date.now() > deadline) return;
    if (!said)
      console.log(`• waiting for the ${detector} detector: it holds a minute after history stops arriving`);
    said = true;
    await new Promise((r) => setTimeout(r, 5000));
    await scheduled();
  }
}

function printEvents(body) {
  if (!body) {
    console.log("\nGET /api/v1/alerts/events answered 404: this server has no alert events route yet.");
    return;
  }
  const events = body.data ?? body.events ?? [];
  console.log(`\nAlert events (${events.length}):`);
  for (const e of events)
    console.log(
      `  ${e.state.padEnd(8)} ${e.severity.padEnd(8)} ${e.detector.padEnd(14)} ${String(e.capability ?? "—").padEnd(16)} ${e.summary}`,
    );
}

async function main() {
  const name = positionals[0];
  if (!PATTERN_NAMES.includes(name)) usage(name ? `unknown pattern "${name}"` : "which pattern?");
  const api = createClient(base);
  const account = o.key ? null : await signUp(api);
  api.useKey(o.key ?? account.key);
  if (account) console.log(`• signed up ${account.email} / ${account.password} (log in at ${base} to watch)`);

  const now = Date.now();
  const opts = { now, days: Number(o.days), tracesPerDay: Number(o["per-day"]), seed: Number(o.seed) };
  const { capability, batches } = scenario(name, opts);
  console.log(`• ${name} on capability "${capability}" after ${opts.days} days of normal traffic`);
  await send(api, batches);
  if (o["no-scan"]) return;
  await scan(api);
  await waitForDetector(api, name);
  printEvents(await getOrNull(api, "/api/v1/alerts/events"));
  if (account) console.log(`\nSign in at ${base} as ${account.email} / ${account.password}`);
}

main().catch((err) => {
  const hint = err instanceof UnreachableError ? `\nIs \`npm start\` running at ${base}?` : "";
  console.error(`\n✗ simulate failed: ${err.message}${hint}`);
  process.exit(1);
});
