// Shared setup for the end-to-end tests: a fresh local server, Chromium, screenshots and named steps.
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

/** Starts a server on a fresh database and a browser; `close()` stops both and removes the data. */
export async function startStack() {
  buildWeb();
  const persistTo = mkdtempSync(join(tmpdir(), "audittrail-e2e-"));
  const server = await startLocalServer({ persistTo });
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
