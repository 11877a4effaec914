// Runs every *.e2e.mjs in this folder (or those named on the command line), one Node process each,
// and exits non-zero if any fails. The tests start their own server and Chromium.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const requested = process.argv.slice(2).map((f) => basename(f));
const files = readdirSync(here)
  .filter((f) => f.endsWith(".e2e.mjs"))
  .filter((f) => requested.length === 0 || requested.includes(f))
  .sort();

if (files.length === 0) {
  console.error("no end-to-end tests matched");
  process.exit(1);
}

const failed = [];
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const res = spawnSync(process.execPath, [join(here, file)], { stdio: "inherit" });
  if (res.status === 0) console.log(`✓ ${file}`);
  else {
    console.error(`✗ ${file} (${res.signal ?? `exit ${res.status}`})`);
    failed.push(file);
  }
}
console.log(`\n${files.length - failed.length}/${files.length} end-to-end files passed`);
process.exit(failed.length > 0 ? 1 : 0);
