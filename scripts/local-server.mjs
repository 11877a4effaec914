// Starts the Worker under `wrangler dev` with local D1/R2 (migrations applied first) and waits
// until it answers. Used by `npm start`, the end-to-end tests and anything else needing a server.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { d1Bindings } from "./d1-databases.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
// Local mode phones nobody: no usage metrics, no download of the `Request.cf` sample (miniflare's
// fallback is used; offline it printed an ENOTFOUND stack trace per start), and no banner, whose
// update check asks the npm registry for wrangler's latest version. Each can be set back from the shell.
const env = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  ...process.env,
  PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH}`,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Every data database gets every migration (the control tables stay empty on the shards). */
export function applyMigrations(persistTo) {
  for (const binding of d1Bindings()) {
    const args = ["d1", "migrations", "apply", binding, "--local"];
    if (persistTo) args.push("--persist-to", persistTo);
    const res = spawnSync(bin("wrangler"), args, {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
      encoding: "utf8",
    });
    if (res.status !== 0) throw new Error(`migrations (${binding}) failed:\n${res.stdout}`);
  }
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer at ${url} within ${timeoutMs} ms`);
}

/** A random key kept next to the local state, so encrypted secrets survive restarts. */
function localSecretsKey(persistTo) {
  const dir = persistTo ?? join(root, ".wrangler", "state");
  const file = join(dir, "secrets-key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(32).toString("base64");
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/**
 * `wrangler dev` does not fire Cron Triggers by itself; with `--test-scheduled` a request to
 * /__scheduled runs one. This fires the every-minute cron as production would (SIEM redelivery,
 * the analytics sweep, the alert detectors).
 */
function tickCron(url) {
  const timer = setInterval(() => {
    fetch(`${url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).catch(() => {});
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Returns { url, stop }. `inherit` shows wrangler's own output (for npm start); `cron` fires the
 * minute cron every minute; `vars` are extra `--var NAME:value` pairs.
 */
export async function startLocalServer({
  port,
  host = "127.0.0.1",
  persistTo,
  inherit = false,
  cron = false,
  vars = {},
} = {}) {
  applyMigrations(persistTo);
  const args = [
    "dev",
    "--port",
    String(port ?? (await freePort())),
    "--ip",
    host,
    "--show-interactive-dev-session=false",
  ];
  if (persistTo) args.push("--persist-to", persistTo);
  if (!inherit) args.push("--log-level", "warn");
  // Local only: SIEM test receivers live on loopback, and secrets need a key (production: wrangler secret).
  args.push("--var", "OUTBOUND_ALLOW_PRIVATE:true", "--var", `SECRETS_KEY:${localSecretsKey(persistTo)}`);
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${args[2]}`;
  // Alert messages link here (wrangler.toml's APP_URL assumes the default port).
  args.push("--var", `APP_URL:${url}`);
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  args.push("--test-scheduled");
  const child = spawn(bin("wrangler"), args, {
    cwd: root,
    env,
    stdio: inherit ? "inherit" : ["ignore", "ignore", "inherit"],
    detached: true,
  });
  let stopCron = () => {};
  const stop = () => {
    stopCron();
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  };
  try {
    await waitForHealth(url, child, 60_000);
  } catch (err) {
    stop();
    throw err;
  }
  if (cron) stopCron = tickCron(url);
  return { url, stop, child };
}
