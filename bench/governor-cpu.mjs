// Governor CPU outside SQL for one queue message: a 500-span trace (a 4-ary tree of LLM and tool
// spans) evaluated against the 26 default rules, then planned and serialized for the upsert, as
// worker/governor/consumer.ts does. Prints µs per span × rule (goal ≤ 1) for the worker's own code
// and for the per-span path it replaced (every rule on every span, one finding per span).
//   node bench/governor-cpu.mjs          (Node 22: npm's pinned node, `npx node`)
//   GOVERNOR_CPU_ROUNDS=21 GOVERNOR_CPU_SPANS=500 node bench/governor-cpu.mjs
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// The rule classes use TypeScript parameter properties, which Node's type stripping refuses.
const FLAG = "--experimental-transform-types";
if (!process.execArgv.includes(FLAG)) {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, [FLAG, "--no-warnings", self], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}

const { envInt, log, round, writeResult, percentile } = await import("./lib.mjs");
const { ROOT } = await import("./server.mjs");
const { importWorker } = await import("./worker-import.mjs");
const { parseRulePack } = await importWorker("governor/rules/parse.ts");
const { activeRule, evaluateTrace } = await importWorker("governor/service/evaluate.ts");
const { plan } = await importWorker("governor/service/store.ts");
const { spanActivation } = await importWorker("governor/rules/activation.ts");
const { traceContexts } = await importWorker("governor/rules/trace-context.ts");

const SPANS = envInt("GOVERNOR_CPU_SPANS", 500);
const ROUNDS = envInt("GOVERNOR_CPU_ROUNDS", 21);
const T0 = Date.parse("2026-11-23T10:00:00Z");
const iso = (ms) => new Date(T0 + ms).toISOString();

/** The default packs as the tenant stores them (rules/*.yaml). */
function defaultRules() {
  const dir = join(ROOT, "rules");
  const defs = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((f) => parseRulePack(readFileSync(join(dir, f), "utf8"), "yaml"));
  return defs.map((def, i) => activeRule({ id: `r${i}`, revision: 1, definition: JSON.stringify(def) }));
}

const TOOLS = [
  ["search_kb", { query: "refund policy", top_k: 5 }, { hits: [{ id: "kb-12", score: 0.82 }] }],
  ["run_sql", { query: "SELECT status FROM refunds WHERE order_id = 88123" }, [{ status: "pending" }]],
  ["fetch_url", { url: "https://status.example.com" }, "All systems operational"],
  ["write_file", { path: "/workspace/notes.md", content: "# Notes" }, { ok: true }],
];

/** Span i of a 4-ary tree in breadth-first order: parent ⌊(i−1)/4⌋, LLM and tool spans alternating. */
function span(trace, i) {
  const llm = i % 2 === 0;
  const [name, args, result] = TOOLS[i % TOOLS.length];
  return {
    id: `s${i}`,
    trace_id: trace,
    parent_id: i === 0 ? null : `s${Math.floor((i - 1) / 4)}`,
    type: llm ? "llm" : "tool",
    name: llm ? "chat" : name,
    status: "ok",
    started_at: iso(i * 20),
    ended_at: iso(i * 20 + 15),
    duration_ms: 15,
    model: llm ? "gpt-4o-mini" : null,
    provider: llm ? "openai" : null,
    input: llm ? `Step ${i}: what should I look up next for the customer?` : null,
    output: llm ? `Call ${name} with the order number.` : null,
    attributes: {},
    error: null,
    usage: llm ? { input_tokens: 320, output_tokens: 60, cost_usd: 0.0004 } : {},
    tool: llm ? null : { name, arguments: args, result },
    truncated_fields: [],
  };
}

/** The per-span path this replaced: every rule on every span, trace-level rules included. */
function perSpanRows(rules, spans, agent) {
  const contexts = traceContexts(spans, agent);
  const rows = [];
  for (const s of spans) {
    const activation = spanActivation(s, contexts.get(s.id));
    for (const rule of rules) {
      if (!rule.compiled.appliesTo(s.type)) continue;
      const r = rule.compiled.evaluate(activation);
      if (r.outcome === "not_applicable") continue;
      rows.push({
        id: "",
        scope: "span",
        trace_id: s.trace_id,
        span_id: s.id,
        rule_id: rule.id,
        rule_revision: rule.revision,
        rule_version: rule.def.version,
        rule_name: rule.def.name,
        policy_group: rule.def.policy_group,
        severity: rule.def.severity,
        agent,
        span_type: s.type,
        span_name: s.name,
        outcome: r.outcome,
        score: r.score,
        measured: r.measured,
        limit_value: rule.def.limit ?? null,
        explanation: r.explanation,
        span_started_at: Date.parse(s.started_at),
      });
    }
  }
  return rows;
}

/** One message's governor work outside SQL; returns what it would write and alert. */
function message(evaluate, rules, spans) {
  const rows = evaluate(rules, spans, "support-bot");
  const p = plan(rows, new Map());
  const bound = JSON.stringify(p.findings).length;
  return { rows: rows.length, findings: p.findings.length, alerts: p.alerts.length, bound };
}

function measure(label, evaluate, rules, spans) {
  const pairs = spans.length * rules.length;
  let shape;
  for (let i = 0; i < 5; i++) shape = message(evaluate, rules, spans); // warm up the JIT
  const us = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    message(evaluate, rules, spans);
    us.push((performance.now() - started) * 1000);
  }
  const median = percentile(us, 50);
  const best = Math.min(...us);
  const figures = {
    ms_per_message: round(median / 1000, 2),
    us_per_span: round(median / spans.length, 2),
    us_per_span_rule: round(median / pairs, 3),
    // The fastest round: what the code costs when the shared machine lets it run undisturbed.
    best_us_per_span_rule: round(best / pairs, 3),
    ...shape,
  };
  log(
    `${label.padEnd(18)} ${figures.ms_per_message} ms/message  ${figures.us_per_span} µs/span  ` +
      `${figures.us_per_span_rule} µs per span × rule (best ${figures.best_us_per_span_rule})  ` +
      `${shape.findings} findings, ${shape.alerts} alerts`,
  );
  return figures;
}

const rules = defaultRules();
const spans = Array.from({ length: SPANS }, (_, i) => span("t_bench", i));
const traceLevel = rules.filter((r) => r.compiled.scope === "trace").map((r) => r.def.name);
log(`governor CPU: ${SPANS}-span 4-ary tree, ${rules.length} default rules, median of ${ROUNDS}`);
log(`trace-level rules: ${traceLevel.join(", ")}`);
const before = measure("per span (before)", (r, s, a) => perSpanRows(r, s, a), rules, spans);
const after = measure("worker (after)", (r, s, a) => evaluateTrace(r, s, a, s), rules, spans);
writeResult(
  "governor-cpu",
  { spans: SPANS, rules: rules.length, rounds: ROUNDS, trace_level_rules: traceLevel },
  { before, after, goal_us_per_span_rule: 1 },
);
