// Starts the real worker under `wrangler dev` on a fresh local D1, and signs up a tenant with an
// API key through the public API. Every benchmark gets its own server so results never depend on
// what an earlier benchmark left in the database.
//
// The server runs from a copy of the sources taken at start: `wrangler dev` rebuilds and restarts
// (dropping requests in flight) whenever a watched file changes, and other people edit worker/
// while benchmarks run. The copy also keeps web/dist out of the repository.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the served worker's sources come from: this checkout, or (for a baseline) another one. */
const SOURCE_ROOT = process.env.BENCH_SOURCE ?? ROOT;
// Run wrangler's JS entry with our own node: the system node may be too old for wrangler.
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const SOURCES = [
  "worker",
  "migrations",
  "rules",
  "wrangler.toml",
  "package.json",
  "tsconfig.json",
  ".dev.vars",
];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** The commit the snapshot was taken from, and how many server files differed from it. */
function sourceInfo() {
  const git = (...args) =>
    spawnSync("git", args, { cwd: SOURCE_ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const changed = git("status", "--porcelain", "--", ...SOURCES);
  return {
    commit: git("rev-parse", "--short", "HEAD") || null,
    uncommitted_files: changed ? changed.split("\n").length : 0,
  };
}

/** Copies what the worker is built from into a temp dir; wrangler needs web/dist to exist. */
function snapshotSources() {
  const dir = mkdtempSync(join(tmpdir(), "audittrail-bench-"));
  for (const name of SOURCES) {
    const from = join(SOURCE_ROOT, name);
    if (existsSync(from)) cpSync(from, join(dir, name), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const dist = join(ROOT, "web/dist");
  if (existsSync(dist)) cpSync(dist, join(dir, "web/dist"), { recursive: true });
  else {
    mkdirSync(join(dir, "web/dist"), { recursive: true });
    writeFileSync(join(dir, "web/dist/index.html"), "<!doctype html><title>bench placeholder</title>\n");
  }
  return dir;
}

function applyMigrations(cwd, persistDir) {
  const args = ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir];
  const r = spawnSync(process.execPath, [WRANGLER, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "1" }, // no interactive confirmation prompt
  });
  if (r.status !== 0) throw new Error(`migrations failed:\n${r.stdout}\n${r.stderr}`);
}

async function waitHealthy(base, child, log, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler exited (${child.exitCode}):\n${log.join("")}`);
    // wrangler dev keeps running after a failed build; waiting longer would not help.
    if (log.some((l) => l.includes("Build failed"))) throw new Error(`worker build failed:\n${log.join("")}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy after ${timeoutMs} ms:\n${log.join("")}`);
}

/**
 * Returns { base, pid, inspectorPort, source, stop() }; the server runs in its own process group.
 * `beforeStart(persistDir)` runs after the migrations, before the server opens the database
 * (benchmarks seed large data sets straight into SQLite there). `vars` are extra Worker vars,
 * e.g. `{ ANALYTICS_FOLD: "off" }`.
 */
export async function startServer({ beforeStart, vars = {} } = {}) {
  const source = sourceInfo(); // just before the copy: what this server runs
  const dir = snapshotSources();
  const persistDir = join(dir, ".bench-state");
  applyMigrations(dir, persistDir);
  await beforeStart?.(persistDir);
  const port = await freePort();
  let inspectorPort = await freePort();
  while (inspectorPort === port) inspectorPort = await freePort();
  const args = ["dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", persistDir];
  // An explicit inspector port: several dev servers (other people's too) may run at once.
  args.push("--inspector-port", String(inspectorPort), "--log-level", "warn");
  // Every bench tenant on DB, the one database migrated here: the figures stay comparable with
  // earlier runs, and bench/audit.mjs's seeding finds the one D1 file (docs/scaling.md).
  args.push("--var", "DATA_DBS:DB"); // no weight: 1
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  args.push("--test-scheduled"); // GET /cdn-cgi/handler/scheduled runs the cron (bench/analytics.mjs)
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    cwd: dir,
    detached: true, // own process group, so stop() also ends workerd
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
  });
  const log = [];
  const keep = (d) => log.push(String(d)) > 200 && log.shift();
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const stop = () => stopServer(child, dir);
  try {
    await waitHealthy(base, child, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, pid: child.pid, inspectorPort, source, log, stop };
}

async function stopServer(child, dir) {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
}

async function expectJson(res, status, what) {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

/** Signs up a fresh tenant and returns an API key with ingest and read scopes. */
export async function createTenant(base) {
  const bytes = randomBytes(6);
  const tag = bytes.toString("hex");
  const ip = `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`; // unique, so the signup rate limit never bites
  const signup = await fetch(`${base}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({
      tenant_name: `bench ${tag}`,
      email: `bench-${tag}@example.com`,
      password: `pw-${tag}-long`,
    }),
  });
  const me = await expectJson(signup, 201, "signup");
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const created = await fetch(`${base}/api/v1/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": me.csrf_token },
    body: JSON.stringify({ name: "bench", scopes: ["ingest", "read"] }),
  });
  const { key } = await expectJson(created, 201, "create API key");
  return { key, tenantId: me.tenant.id, session: { cookie, csrf: me.csrf_token } };
}

/**
 * Turns off every governor rule of the tenant (new tenants get the default packs), so a run can
 * measure ingest without the rule evaluation that follows each batch. Returns how many it disabled.
 */
export async function disableRules(base, tenant) {
  const session = { cookie: tenant.session.cookie, "x-csrf-token": tenant.session.csrf };
  let disabled = 0;
  for (let round = 0; round < 10; round++) {
    const list = await fetch(`${base}/api/v1/rules?enabled=true`, { headers: session });
    const { data } = await expectJson(list, 200, "list rules");
    if (!data.length) return disabled;
    for (const rule of data) {
      const res = await fetch(`${base}/api/v1/rules/${encodeURIComponent(rule.id)}`, {
        method: "PATCH",
        headers: { ...session, "content-type": "application/json" },
        body: JSON.stringify({ enabled: false }),
      });
      await expectJson(res, 200, `disable rule ${rule.id}`);
      disabled++;
    }
  }
  throw new Error("rules still enabled after disabling them 10 times over");
}
