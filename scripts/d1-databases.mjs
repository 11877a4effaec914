// The D1 bindings wrangler.toml declares, in order (DB, the control database, first). Every one of
// them is a data database and gets every migration: `npm start`, the bench server and `npm run
// deploy` apply them all (docs/scaling.md).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function d1Bindings() {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  return [...toml.matchAll(/\[\[d1_databases\]\][^[]*?binding\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
}

// `node scripts/d1-databases.mjs apply --remote`: applies the migrations to every database.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "apply") {
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  for (const binding of d1Bindings()) {
    const args = ["d1", "migrations", "apply", binding, ...process.argv.slice(3)];
    const res = spawnSync(wrangler, args, { cwd: root, stdio: "inherit" });
    if (res.status !== 0) process.exit(res.status ?? 1);
  }
}
