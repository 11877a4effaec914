// Shared setup for the end-to-end tests: the local server, Chromium, screenshots and named steps.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startLocalServer } from "../../scripts/local-server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const screenshotDir = join(root, "test", "e2e", "screenshots");

/** Builds the web app (E2E_SKIP_BUILD=1 reuses web/dist), so the test never runs against a stale build. */
export function buildWeb() {
  if (process.env.E2E_SKIP_BUILD === "1") return;
  const res = spawnSync("npm", ["run", "build:web", "--silent"], { cwd: root, stdio: "inherit" });
  if (res.status !== 0) throw new Error("npm run build:web failed");
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The run's server and browser when run.mjs runs the files in one process (see useSharedStack). */
let shared = null;

/** A server on a fresh database and a browser; `close()` stops both and removes the data. */
async function launchStack() {
  buildWeb();
  const persistTo = mkdtempSync(join(tmpdir(), "audittrail-e2e-"));
  const server = await startLocalServer({ persistTo });
  // wrangler runs in its own process group: stop it even when this process ends on an error.
  process.once("exit", server.stop);
  let browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    server.stop();
    throw err;
  }
  mkdirSync(screenshotDir, { recursive: true });
  const close = async () => {
    await browser.close().catch(() => {});
    server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
  return { url: server.url, browser, close };
}

/** run.mjs: starts one server and one browser that every file of the run then gets from startStack. */
export async function useSharedStack() {
  shared = await launchStack();
  return shared;
}

/**
 * A server and a browser for one test file. Run alone, a fresh pair; under run.mjs, the shared pair,
 * whose `close()` closes only the browser contexts this file opened. Either way a file signs up its
 * own tenant and opens its own contexts, so files stay independent of each other.
 */
export async function startStack() {
  if (!shared) return launchStack();
  const { url, browser } = shared;
  const before = new Set(browser.contexts());
  const close = async () => {
    for (const context of browser.contexts()) {
      if (!before.has(context)) await context.close().catch(() => {});
    }
  };
  return { url, browser, close };
}

/** Like startStack, for files that need only the server (no browser, no web build). */
export async function startServer() {
  if (shared) return { url: shared.url, stop: () => {} };
  const persistTo = mkdtempSync(join(tmpdir(), "audittrail-e2e-"));
  const server = await startLocalServer({ persistTo });
  process.once("exit", server.stop);
  const stop = () => {
    server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
  return { url: server.url, stop };
}

/** Full-page screenshot in light and dark, named `<name>.png` and `<name>.dark.png`. */
export async function screenshot(page, name) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: "disabled" });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({
    path: join(screenshotDir, `${name}.dark.png`),
    fullPage: true,
    animations: "disabled",
  });
  await page.emulateMedia({ colorScheme: "light" });
}

/** Runs one named step; on failure, saves a screenshot of `page` before rethrowing. */
export async function step(name, page, fn) {
  const started = Date.now();
  try {
    await fn();
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    console.error(`  ✗ ${name}`);
    const file = join(screenshotDir, `failure-${name.replace(/\W+/g, "-").toLowerCase()}.png`);
    await page?.screenshot({ path: file, fullPage: true }).catch(() => {});
    throw err;
  }
}
