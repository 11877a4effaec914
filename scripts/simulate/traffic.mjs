// Synthetic fleet traffic for the analytics detectors (docs/analytics.md, "Simulating traffic"):
// days of normal interactions, then one pattern a detector should fire on. Pure and deterministic
// for a seed, with no Node imports, so `npm run simulate`, the benchmarks and the Workers tests
// share it. Every function returns native ingest batches (docs/ingestion.md) within its limits.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_TRACES = 1000;
const MAX_SPANS = 5000;

export const CAPABILITIES = [
  "support-triage",
  "code-review",
  "summarize",
  "sql-assist",
  "translate",
  "email-draft",
  "meeting-notes",
  "search",
];
export const WORKSPACES = Array.from({ length: 12 }, (_, i) => `ws-${String(i + 1).padStart(2, "0")}`);
/** A capability no traffic uses before the new-capability pattern. */
export const NEW_CAPABILITY = "contract-redline";

const AGENTS = ["support-bot", "dev-copilot", "ops-assistant"];
const MODELS = {
  openai: ["gpt-4o", "gpt-4o-mini"],
  anthropic: ["claude-sonnet-4-5", "claude-haiku-4-5"],
  unspecified: ["in-house-llm"],
};
const TOOLS = ["search_docs", "run_sql", "fetch_ticket", "send_email", "read_file"];
const WORDS = "please review the request and answer with the relevant account details for the customer".split(
  " ",
);

/** mulberry32: a small seeded generator, the same numbers everywhere. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const between = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
/** Log-normal around `median`: latencies and token counts have long right tails. */
const skewed = (r, median, spread = 0.6) =>
  Math.max(
    1,
    Math.round(median * Math.exp(spread * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(6.283 * r()))),
  );
const hash = (text) => [...text].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);

export const startOfDay = (ms) => Math.floor(ms / DAY_MS) * DAY_MS;

/** Relative activity by UTC hour: quiet nights, a working-day hump peaking mid-afternoon. */
export function hourWeight(hour) {
  return 0.15 + Math.exp(-((hour - 14) ** 2) / 18);
}
const HOUR_TOTAL = Array.from({ length: 24 }, (_, h) => hourWeight(h)).reduce((a, b) => a + b, 0);

/**
 * Weekends carry half a weekday's traffic: quieter, yet above the drop detector's default 0.4× of
 * the median, so a normal Sunday is not an alert.
 */
export const dayWeight = (dayStart) => ([0, 6].includes(new Date(dayStart).getUTCDay()) ? 0.5 : 1);

/** A capability's share of the fleet: a few big ones, a long tail (1/(rank+1)), or all equal. */
function capabilityShares(capabilities, even = false) {
  const w = capabilities.map((_, i) => (even ? 1 : 1 / (i + 1)));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** Expected interactions of one capability on a full weekday (the busiest kind of day). */
export function weekdayVolume(opts, capability) {
  const { capabilities = CAPABILITIES, tracesPerDay = 1200, evenCapabilities = false } = opts;
  return (
    tracesPerDay * (capabilityShares(capabilities, evenCapabilities)[capabilities.indexOf(capability)] ?? 0)
  );
}

/** Expected interactions of one capability on one full UTC day. */
export const expectedPerDay = (opts, capability, dayStart) =>
  weekdayVolume(opts, capability) * dayWeight(dayStart);

/** Start times of `count` interactions in [from, to), drawn by the hour-of-day shape. */
function startTimes(r, count, from, to) {
  const out = [];
  let guard = count * 50;
  while (out.length < count && guard-- > 0) {
    const t = from + r() * (to - from);
    if (r() * 1.15 <= hourWeight(new Date(t).getUTCHours())) out.push(t); // rejection sampling
  }
  return out.map(Math.floor).sort((a, b) => a - b);
}

function providerFor(r, capability) {
  const lean = hash(capability) % 3; // each capability leans on one provider
  const x = r();
  if (x < 0.1) return "unspecified";
  if (lean === 0) return x < 0.75 ? "openai" : "anthropic";
  if (lean === 1) return x < 0.75 ? "anthropic" : "openai";
  return x < 0.55 ? "openai" : "anthropic";
}

function prompt(r) {
  const words = skewed(r, 40, 0.7);
  return Array.from({ length: Math.min(words, 600) }, () => pick(r, WORDS)).join(" ");
}

function childSpan(r, ctx, k, at) {
  const id = `${ctx.traceId}.${k}`;
  const base = { id, trace_id: ctx.traceId, parent_id: `${ctx.traceId}.0`, status: "ok" };
  const kind = k === 1 || r() < 0.45 ? "llm" : r() < 0.7 ? "tool" : "retriever";
  if (kind === "llm") {
    const ms = skewed(r, 1400, 0.55);
    const span = {
      ...base,
      type: "llm",
      name: "chat",
      started_at: at,
      ended_at: at + ms,
      model: pick(r, MODELS[ctx.provider]),
      usage: { input_tokens: skewed(r, 900, 0.7), output_tokens: skewed(r, 220, 0.6) },
      input: k === 1 ? ctx.prompt.slice(0, 400) : "continue",
      output: "ok",
    };
    if (ctx.provider !== "unspecified") span.provider = ctx.provider;
    return span;
  }
  const ms = skewed(r, kind === "tool" ? 120 : 60, 0.8);
  const name = kind === "tool" ? pick(r, TOOLS) : "vector-search";
  const span = { ...base, type: kind, name, started_at: at, ended_at: at + ms };
  if (kind === "tool") span.tool = { name, arguments: { q: "x" }, result: { ok: true } };
  return span;
}

/** One interaction: a trace, its root agent span and 2–7 children one after another. */
export function interaction(r, { id, at, capability, workspace, errorRate }) {
  const provider = providerFor(r, capability);
  const text = prompt(r);
  const inMetadata = r() < 0.8; // the rest name their capability on the root span instead
  const ctx = { traceId: id, provider, prompt: text };
  const children = [];
  let t = at + between(r, 2, 20);
  for (let k = 1, n = between(r, 2, 7); k <= n; k++) {
    const span = childSpan(r, ctx, k, t);
    children.push(span);
    t = span.ended_at + between(r, 1, 30);
  }
  const failed = r() < errorRate;
  if (failed) {
    const bad = children[children.length - 1];
    bad.status = "error";
    bad.error = {
      type: pick(r, ["RateLimitError", "TimeoutError", "ToolError"]),
      message: "upstream failed",
    };
  }
  const root = {
    id: `${id}.0`,
    trace_id: id,
    type: "agent",
    name: capability,
    started_at: at,
    ended_at: t,
    status: failed ? "error" : "ok",
    attributes: inMetadata ? { channel: "api" } : { capability, channel: "api" },
  };
  const metadata = inMetadata ? { capability, workspace_id: workspace } : { workspace_id: workspace };
  const agent = AGENTS[hash(capability) % AGENTS.length];
  const trace = {
    id,
    agent,
    name: capability,
    started_at: at,
    ended_at: t,
    status: failed ? "error" : "ok",
    input: text,
    metadata,
  };
  if (!failed) trace.output = "done";
  return { trace, spans: [root, ...children] };
}

/** Packs interactions into batches within the ingest limits, each trace with its own spans. */
export function toBatches(items, { maxSpans = MAX_SPANS, maxTraces = MAX_TRACES } = {}) {
  const batches = [];
  let batch = { traces: [], spans: [] };
  for (const { trace, spans } of items) {
    if (batch.traces.length >= maxTraces || batch.spans.length + spans.length > maxSpans) {
      batches.push(batch);
      batch = { traces: [], spans: [] };
    }
    batch.traces.push(trace);
    batch.spans.push(...spans);
  }
  if (batch.traces.length) batches.push(batch);
  return batches;
}

/** Interactions of a capability in [from, to), Poisson-ish around `expected` (±10 %). */
function capabilityWindow(r, o) {
  const count = Math.max(0, Math.round(o.expected * (0.9 + 0.2 * r())));
  return startTimes(r, count, o.from, o.to).map((at, i) =>
    interaction(r, {
      id: `${o.prefix}-${i.toString(36)}`,
      at,
      capability: o.capability,
      workspace: pick(r, o.workspaces),
      errorRate: o.errorRate ?? 0.03,
    }),
  );
}

/** Share of a day's weighted hours that fall in [from, to) of that day. */
function dayFraction(dayStart, from, to) {
  let sum = 0;
  for (let h = 0; h < 24; h++) {
    const lo = Math.max(from, dayStart + h * HOUR_MS);
    const hi = Math.min(to, dayStart + (h + 1) * HOUR_MS);
    if (hi > lo) sum += (hourWeight(h) * (hi - lo)) / HOUR_MS;
  }
  return sum / HOUR_TOTAL;
}

/**
 * One UTC day's normal interactions (today only up to `now`): every capability at its share,
 * scaled by weekday/weekend and hour of day. `scale(capability, dayStart)` adjusts a capability's
 * volume (the drop pattern uses it); the day's own seed keeps days independent of each other.
 */
export function dayInteractions(opts, dayStart) {
  const { now, seed = 1, capabilities = CAPABILITIES, workspaces = WORKSPACES, scale, prefix = "n" } = opts;
  const to = Math.min(dayStart + DAY_MS, now);
  if (to <= dayStart) return [];
  return capabilities.flatMap((capability, c) => {
    const factor = scale ? scale(capability, dayStart) : 1;
    const r = rng(seed * 1_000_003 + (dayStart / DAY_MS) * 7919 + c);
    const expected =
      expectedPerDay(opts, capability, dayStart) * factor * dayFraction(dayStart, dayStart, to);
    const day = new Date(dayStart).toISOString().slice(0, 10).replaceAll("-", "");
    return capabilityWindow(r, {
      prefix: `${prefix}${seed}-${day}-c${c}`,
      capability,
      workspaces,
      expected,
      from: dayStart,
      to,
    });
  });
}

/** The UTC day starts covered by `days` whole days before today and today itself. */
export const dayStarts = (now, days) =>
  Array.from({ length: days + 1 }, (_, i) => startOfDay(now) - (days - i) * DAY_MS);

/**
 * `days` whole UTC days of normal traffic before today, and today up to `now`, as ingest batches.
 * opts: { now, days = 14, capabilities, workspaces, seed, tracesPerDay = 1200, evenCapabilities?,
 * scale?, maxSpans? }.
 */
export function normalDays(opts) {
  const { now, days = 14 } = opts;
  return toBatches(
    dayStarts(now, days).flatMap((d) => dayInteractions(opts, d)),
    opts,
  );
}

const PATTERNS = {
  /** Today's count of one capability past 2.5× a normal day's: three weekdays' worth, today. */
  spike(o) {
    const from = startOfDay(o.now);
    const to = Math.max(o.now - 60_000, from + 60_000);
    const expected = 3 * weekdayVolume(o, o.capability);
    return capabilityWindow(rng(o.seed + 11), { ...o, prefix: `spike${o.seed}`, expected, from, to });
  },
  /** Only the scale below: yesterday at 20 % and nothing in the last 3 h (see dropScale). */
  drop: () => [],
  /** 40 % errors over 80 interactions in the last 15 minutes (30 % with normal traffic mixed in). */
  errors(o) {
    const r = rng(o.seed + 13);
    const from = o.now - 15 * 60_000;
    const times = Array.from({ length: 80 }, (_, i) => from + Math.floor(((i + r()) * 14 * 60_000) / 80));
    return times.map((at, i) =>
      interaction(r, {
        id: `errors${o.seed}-${i.toString(36)}`,
        at,
        capability: o.capability,
        workspace: pick(r, o.workspaces),
        errorRate: i % 5 < 2 ? 1 : 0,
      }),
    );
  },
  /** A capability never seen before: a dozen interactions in the last hour. */
  "new-capability"(o) {
    const r = rng(o.seed + 17);
    const at = (i) => o.now - HOUR_MS + Math.floor(((i + r()) * 55 * 60_000) / 12);
    return Array.from({ length: 12 }, (_, i) =>
      interaction(r, {
        id: `new${o.seed}-${i.toString(36)}`,
        at: at(i),
        capability: o.capability,
        workspace: pick(r, o.workspaces),
        errorRate: 0.03,
      }),
    );
  },
};
export const PATTERN_NAMES = Object.keys(PATTERNS);

/** The capability a pattern is about: the second-largest one (or the new one). */
export function patternCapability(name, { capabilities = CAPABILITIES } = {}) {
  return name === "new-capability" ? NEW_CAPABILITY : capabilities[Math.min(1, capabilities.length - 1)];
}

/** The drop's adjustment of normal traffic: yesterday at 20 % of a weekday, whatever day it was. */
export function dropScale({ now, capability }) {
  const yesterday = startOfDay(now) - DAY_MS;
  const factor = 0.2 / dayWeight(yesterday);
  return (c, dayStart) => (c === capability && dayStart === yesterday ? factor : 1);
}

/** The pattern's own interactions as ingest batches. opts as normalDays', plus `capability?`. */
export function pattern(name, opts) {
  const make = PATTERNS[name];
  if (!make) throw new Error(`unknown pattern ${name}; one of ${PATTERN_NAMES.join(", ")}`);
  const o = {
    seed: 1,
    capabilities: CAPABILITIES,
    workspaces: WORKSPACES,
    tracesPerDay: 1200,
    ...opts,
  };
  o.capability ??= patternCapability(name, o);
  return toBatches(make(o), o);
}

/**
 * Normal days then the pattern, what `npm run simulate -- <name>` sends: { capability, batches }.
 * For a drop, normal traffic itself is cut (yesterday at 20 %, nothing in the last 3 hours).
 */
export function scenario(name, opts) {
  const capability = opts.capability ?? patternCapability(name, opts);
  const o = { ...opts, capability };
  if (name !== "drop") return { capability, batches: [...normalDays(o), ...pattern(name, o)] };
  const scale = dropScale(o);
  const silentFrom = opts.now - 3 * HOUR_MS;
  const batches = toBatches(
    dayStarts(opts.now, opts.days ?? 14).flatMap((d) =>
      dayInteractions({ ...o, scale }, d).filter(
        (x) => x.trace.name !== capability || x.trace.started_at < silentFrom,
      ),
    ),
    o,
  );
  return { capability, batches };
}
