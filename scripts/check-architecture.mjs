// The layering rules of worker/, checked on every `npm run lint` (README.md, "Layout"):
//  1. Only worker/db/ reads a D1 binding (`env.DB`, `env[name]`): everything else reaches a
//     database through a TenantContext or `control(env)`.
//  2. No import cycles between modules, type-only imports included.
//  3. worker/lib/ and worker/db/ import no feature (only each other and env.ts); db/ may name a
//     feature's schemas.ts, the leaf module of its wire shapes, to type a JSON column.
// Prints every violation with its file and exits non-zero if there is one.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const workerDir = join(root, "worker");
const GENERATED = new Set(["worker/worker-configuration.d.ts"]);

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const rel = (path) => relative(root, path).split("\\").join("/");
const files = sourceFiles(workerDir).filter((f) => !GENERATED.has(rel(f)));
const known = new Set(files.map(rel));

/** Strips comments so a rule named in prose is not taken for code. */
const code = (text) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");

function importsOf(file, text) {
  const specs = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*["']([^"']+)["']/g),
  ];
  return specs
    .map((m) => m[1] ?? m[2])
    .filter((s) => s.startsWith("."))
    .map((s) => rel(resolve(dirname(file), s)))
    .map((s) => (known.has(`${s}.ts`) ? `${s}.ts` : known.has(`${s}/index.ts`) ? `${s}/index.ts` : s))
    .filter((s) => known.has(s));
}

const problems = [];
const graph = new Map();
for (const file of files) {
  const name = rel(file);
  const text = code(readFileSync(file, "utf8"));
  graph.set(name, importsOf(file, text));
  if (!name.startsWith("worker/db/")) {
    for (const [line, n] of text.split("\n").map((l, i) => [l, i + 1])) {
      if (/\.DB\b|\benv\s*\[|\bDB\s*[:}]\s*(?:env|c\.env)/.test(line)) {
        problems.push(`${name}:${n}: reads a D1 binding directly; take a TenantContext or control(env)`);
      }
    }
  }
  if (name.startsWith("worker/lib/") || name.startsWith("worker/db/")) {
    for (const target of graph.get(name)) {
      const layer = target.split("/")[1];
      const wireShape = name.startsWith("worker/db/") && target.endsWith("/schemas.ts");
      if (!["lib", "db", "env.ts"].includes(layer) && !wireShape) {
        problems.push(`${name}: imports ${target}; lib/ and db/ import no feature`);
      }
    }
  }
}

// Cycles: depth-first search, reporting each cycle once by its smallest rotation.
const seen = new Set();
const reported = new Set();
function visit(node, stack, onStack) {
  if (onStack.has(node)) {
    const cycle = stack.slice(stack.indexOf(node));
    const start = cycle.indexOf([...cycle].sort()[0]);
    const key = [...cycle.slice(start), ...cycle.slice(0, start)].join(" → ");
    if (!reported.has(key)) {
      reported.add(key);
      problems.push(`import cycle: ${key} → ${cycle[start]}`);
    }
    return;
  }
  if (seen.has(node)) return;
  seen.add(node);
  onStack.add(node);
  stack.push(node);
  for (const next of graph.get(node) ?? []) visit(next, stack, onStack);
  stack.pop();
  onStack.delete(node);
}
for (const file of graph.keys()) visit(file, [], new Set());

if (problems.length) {
  console.error(
    `${problems.length} architecture rule(s) broken:\n${problems.map((p) => `  ${p}`).join("\n")}`,
  );
  process.exit(1);
}
console.log(`architecture: ${files.length} modules, no cycles, bindings only in worker/db/`);
