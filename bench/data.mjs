// Synthetic but realistic agent traces: a root run, steps, LLM calls with usage, tool calls with
// arguments, occasional errors. Seeded, so the same (seed, index) always gives the same batch —
// the raw SQLite baseline inserts exactly what the server received.

const WORDS = (
  "order account refund invoice shipping delivery customer support ticket billing plan upgrade " +
  "password reset login error payment card address warehouse product price discount coupon " +
  "subscription cancel renew trial report summary weekly metrics dashboard query table schema " +
  "latency deploy release rollback incident alert service region cluster database backup " +
  "document policy contract clause review approve reject escalate manager team schedule meeting " +
  "calendar email draft reply translate french german summary notes action items owner status"
).split(" ");

/** Appears in ~2% of trace inputs; query.mjs searches for it. */
export const RARE_WORD = "chargeback";

export const AGENTS = [
  "support-bot",
  "billing-agent",
  "research-assistant",
  "code-reviewer",
  "sql-analyst",
  "email-triage",
  "onboarding-guide",
  "incident-responder",
  "sales-copilot",
  "doc-summarizer",
];
const MODELS = [
  ["gpt-4o-mini", "openai"],
  ["gpt-4o-mini", "openai"],
  ["gpt-4o", "openai"],
  ["gpt-4.1-mini", "openai"],
  ["claude-3-5-sonnet-20241022", "anthropic"],
  ["claude-3-5-haiku", "anthropic"],
];
const TOOLS = ["search_web", "get_order", "sql_query", "send_email", "read_file", "lookup_customer"];

export function rng(seed) {
  let a = seed >>> 0; // mulberry32
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));

/** ~200 bytes of words. */
export function sentence(r, words = 30) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(pick(r, WORDS));
  return out.join(" ");
}

function llmSpan(r, base) {
  const [model, provider] = pick(r, MODELS);
  return {
    ...base,
    type: "llm",
    name: "chat.completions",
    model,
    provider,
    usage: { input_tokens: int(r, 200, 4000), output_tokens: int(r, 20, 600) },
    input: [{ role: "user", content: sentence(r, 22) }],
    output: { role: "assistant", content: sentence(r, 25) },
    attributes: { temperature: 0.2, "llm.request.max_tokens": 1024 },
  };
}

function toolSpan(r, base) {
  const name = pick(r, TOOLS);
  const failed = r() < 0.02;
  return {
    ...base,
    type: "tool",
    name,
    status: failed ? "error" : "ok",
    ...(failed && { error: { type: "TimeoutError", message: `${name} timed out after 30s` } }),
    tool: {
      name,
      arguments: { query: sentence(r, 8), limit: int(r, 1, 20), customer_id: `cus_${int(r, 1000, 99999)}` },
      result: failed ? undefined : { rows: int(r, 0, 20), text: sentence(r, 14) },
    },
  };
}

/** Layout: root chain → steps (chain) → llm + tools; one final llm under the root. */
function spanKind(i, n) {
  if (i === n - 1) return "final";
  return ["step", "llm", "tool", "tool"][(i - 1) % 4];
}

const iso = (ms) => new Date(ms).toISOString();

/** One trace object and its `spanCount` spans, starting at `startMs`. */
export function makeTrace(r, { id, agent, startMs, spanCount = 20 }) {
  const root = { id: `${id}.0`, trace_id: id, parent_id: null, type: "chain", name: `${agent}.run` };
  const spans = [root];
  let at = startMs + 5;
  let step = root;
  for (let i = 1; i < spanCount; i++) {
    const kind = spanKind(i, spanCount);
    const parent = kind === "step" || kind === "final" ? root : step;
    const base = { id: `${id}.${i}`, trace_id: id, parent_id: parent.id, status: "ok" };
    if (kind === "step" || kind === "final") step.ended_at = iso(at); // the previous step is done
    const dur = kind === "tool" ? int(r, 20, 800) : int(r, 300, 3000);
    const span =
      kind === "tool"
        ? toolSpan(r, base)
        : kind === "step"
          ? { ...base, type: "chain", name: `step ${Math.ceil(i / 4)}` }
          : llmSpan(r, base);
    span.started_at = iso(at);
    span.ended_at = iso(at + dur);
    if (kind === "step") step = span;
    else at += dur + 5; // steps wrap their children; children run one after another
    spans.push(span);
  }
  Object.assign(root, { started_at: iso(startMs), ended_at: iso(at), status: "ok" });
  const question = `${sentence(r, 20)}${r() < 0.02 ? ` ${RARE_WORD}` : ""} ${sentence(r, 8)}`;
  const trace = {
    id,
    agent,
    name: `${agent}.run`,
    started_at: iso(startMs),
    ended_at: iso(at),
    status: spans.some((s) => s.status === "error") ? "error" : "ok",
    input: { question },
    output: { answer: sentence(r, 30) },
    user_id: `user_${int(r, 1, 5000)}`,
    session_id: `sess_${int(r, 1, 20000)}`,
    metadata: { env: "prod", app_version: "1.4.2" },
    tags: ["prod", agent],
  };
  return { trace, spans };
}

/**
 * One native ingest batch: `traces` traces of `spansPerTrace` spans, trace objects included.
 * args: { prefix, seed, traces, spansPerTrace, startMs, spreadMs }.
 */
export function nativeBatch(args, index) {
  const r = rng(args.seed * 1_000_003 + index);
  const batch = { traces: [], spans: [] };
  for (let t = 0; t < args.traces; t++) {
    const startMs = args.startMs + Math.floor(r() * (args.spreadMs ?? 60_000));
    const id = `${args.prefix}-${index}-${t}`;
    const made = makeTrace(r, { id, agent: pick(r, AGENTS), startMs, spanCount: args.spansPerTrace });
    batch.traces.push(made.trace);
    batch.spans.push(...made.spans);
  }
  return batch;
}

/** Request body for client.mjs. */
export function nativeBody(args, index) {
  const batch = nativeBatch(args, index);
  return { body: Buffer.from(JSON.stringify(batch)), spans: batch.spans.length };
}

/**
 * The probe's shape: one trace per batch, a 4-ary tree of `spans` LLM and tool spans under a root
 * chain (short inputs and outputs, tool arguments), the trace object included.
 * args: { prefix, seed, spans, startMs }.
 */
export function treeBatch(args, index) {
  const r = rng(args.seed * 1_000_003 + index);
  const id = `${args.prefix}-tree-${index}`;
  const agent = pick(r, AGENTS);
  const startMs = args.startMs + index * 1000;
  const spans = [];
  for (let i = 0; i < args.spans; i++) {
    const parent = i === 0 ? null : `${id}.${Math.floor((i - 1) / 4)}`;
    const base = { id: `${id}.${i}`, trace_id: id, parent_id: parent, status: "ok" };
    const at = startMs + i * 10;
    const span =
      i === 0
        ? { ...base, type: "chain", name: `${agent}.run`, input: { task: sentence(r, 6) } }
        : i % 2
          ? llmSpan(r, base)
          : toolSpan(r, base);
    if (span.type === "llm") {
      span.input = [{ role: "user", content: sentence(r, 6) }];
      span.output = { role: "assistant", content: sentence(r, 8) };
    }
    span.started_at = iso(at);
    span.ended_at = iso(at + (i === 0 ? args.spans * 10 : int(r, 5, 400)));
    spans.push(span);
  }
  const trace = {
    id,
    agent,
    name: `${agent}.run`,
    started_at: iso(startMs),
    ended_at: iso(startMs + args.spans * 10),
    status: "ok",
    input: { task: sentence(r, 6) },
    output: { answer: sentence(r, 10) },
    user_id: `user_${int(r, 1, 5000)}`,
    session_id: `sess_${int(r, 1, 20000)}`,
  };
  return { traces: [trace], spans };
}

/** Request body for client.mjs, tree shape. */
export function treeBody(args, index) {
  const batch = treeBatch(args, index);
  return { body: Buffer.from(JSON.stringify(batch)), spans: batch.spans.length };
}
