// Runs every *.e2e.mjs in this folder (or those named on the command line) in this one process,
// against one server and one browser (harness.mjs), and exits non-zero if any fails. Each file is a
// module that signs up its own tenant and opens its own browser contexts; importing it runs it.
// A file also runs on its own (`node test/e2e/audit.e2e.mjs`) with a server and browser of its own.
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { useSharedStack } from "./harness.mjs";

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

// A rejection nobody awaited belongs to the file that is running: it fails that file.
let stray = null;
process.on("unhandledRejection", (err) => {
  console.error("unhandled rejection:", err);
  stray ??= err;
});

const stack = await useSharedStack();
const failed = [];
try {
  for (const file of files) {
    console.log(`\n▶ ${file}`);
    const started = Date.now();
    stray = null;
    try {
      await import(pathToFileURL(join(here, file)).href);
      if (stray) throw stray;
      console.log(`✓ ${file} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      console.error(err);
      console.error(`✗ ${file}`);
      failed.push(file);
    }
  }
} finally {
  await stack.close();
}
console.log(`\n${files.length - failed.length}/${files.length} end-to-end files passed`);
process.exit(failed.length > 0 ? 1 : 0);
