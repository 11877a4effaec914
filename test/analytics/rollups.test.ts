// The rollups equal a recomputation from scratch, however traffic arrives: traces before or
// after their spans, spans re-sent, late spans that change a trace's status, provider,
// capability or day, folds at random points in between (and the queue's own folds racing them).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HOURS_KEPT_MS } from "../../worker/analytics/changes";
import { DAY_MS, dayOf, FACT_COLUMNS, FACT_SQL, type Fact, hourOf } from "../../worker/analytics/facts";
import { repairWindow } from "../../worker/analytics/repair";
import { binOf } from "../../worker/analytics/sketch";
import { createKey, ingest, signup, unique } from "../helpers";
import { foldAll } from "./fold-helpers";

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

type Batch = { traces: object[]; spans: object[] };

/** A random stream of ingest batches over `count` traces, deterministic per seed. */
function traffic(seed: number, count: number, now: number): Batch[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const batches: Batch[] = [];
  const run = unique("prop");
  for (let i = 0; i < count; i++) {
    const id = `${run}-${i}`;
    // Near midnight sometimes, so a late early span moves a placeholder trace to the day before.
    const start =
      dayOf(now) - Math.floor(rnd() * 9) * DAY_MS + (rnd() < 0.2 ? 60_000 : Math.floor(rnd() * DAY_MS * 0.9));
    const spans = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, j) => {
      const llm = rnd() < 0.6;
      const offset = rnd() < 0.1 ? -120_000 : j * 200;
      return {
        id: `${id}-s${j}`,
        trace_id: id,
        type: llm ? "llm" : pick(["tool", "chain", "agent"]),
        name: `step ${j}`,
        started_at: start + offset,
        ...(rnd() < 0.9 ? { ended_at: start + offset + 50 + Math.floor(rnd() * 5000) } : {}),
        status: rnd() < 0.1 ? "error" : "ok",
        ...(llm && rnd() < 0.8
          ? { provider: pick(["openai", "anthropic"]), model: "m", input_tokens: 10, output_tokens: 5 }
          : {}),
        ...(rnd() < 0.2 ? { attributes: { capability: pick(["triage", "search"]) } } : {}),
      };
    });
    const trace = {
      id,
      agent: pick(["support-bot", "research-agent"]),
      started_at: start,
      ...(rnd() < 0.5 ? { ended_at: start + 8000 } : {}),
      ...(rnd() < 0.6
        ? {
            metadata: {
              ...(rnd() < 0.5 ? { capability: pick(["triage", "billing"]) } : {}),
              workspace_id: pick(["ws-a", "ws-b", "ws-c"]),
            },
          }
        : { user_id: pick(["u-1", "u-2"]) }),
      ...(rnd() < 0.15 ? { status: "error" } : {}),
    };
    const cut = Math.floor(rnd() * (spans.length + 1));
    const order = rnd();
    if (order < 0.4) batches.push({ traces: [trace], spans: spans.slice(0, cut) });
    else batches.push({ traces: [], spans: spans.slice(0, cut) }); // spans first: a placeholder trace
    if (cut < spans.length) batches.push({ traces: [], spans: spans.slice(cut) }); // late spans
    if (order >= 0.4 && rnd() < 0.8) batches.push({ traces: [trace], spans: [] }); // the trace comes late
    if (rnd() < 0.2) batches.push({ traces: [trace], spans }); // a re-send of it all
  }
  const sendable = batches.filter((b) => b.traces.length || b.spans.length);
  // Shuffle, so late spans and traces land after folds of what came before.
  for (let i = sendable.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [sendable[i], sendable[j]] = [sendable[j] as Batch, sendable[i] as Batch];
  }
  return sendable;
}

type Row = Record<string, unknown>;
const sortRows = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

async function all(sql: string, ...args: unknown[]): Promise<Row[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...args)
      .all<Row>()
  ).results;
}

/** The rollup tables as they are. */
async function stored(tenantId: string) {
  const cells = (table: string, extra = "") =>
    all(
      `SELECT bucket, capability, provider, interactions, errors, latency_count, latency_sum, latency_bins,
         input_tokens, output_tokens, round(cost_usd, 6) AS cost_usd${extra} FROM ${table} WHERE tenant_id = ?`,
      tenantId,
    );
  return {
    days: sortRows(await cells("analytics_days", ", workspaces")),
    hours: sortRows(await cells("analytics_hours")),
    workspaces: sortRows(
      await all(
        `SELECT day, workspace, interactions, errors, input_tokens, output_tokens, round(cost_usd, 6) AS cost_usd,
           capabilities, last_interaction_at FROM analytics_workspace_days WHERE tenant_id = ?`,
        tenantId,
      ),
    ),
    capabilities: sortRows(
      await all("SELECT capability, first_seen_at FROM analytics_capabilities WHERE tenant_id = ?", tenantId),
    ),
  };
}

type Acc = Record<string, number | string | Set<string> | Record<string, number>>;

/** The same tables computed from scratch: every trace's fact, then plain grouping. */
async function recomputed(tenantId: string) {
  const facts = (await all(
    `SELECT ${FACT_COLUMNS.map((c) => `${FACT_SQL[c]} AS ${c}`).join(", ")} FROM traces t WHERE t.tenant_id = ?`,
    tenantId,
  )) as unknown as Fact[];
  const group = (key: (f: Fact) => Row, withLatency: boolean, extra?: (acc: Acc, f: Fact) => void) => {
    const out = new Map<string, Acc>();
    for (const f of facts) {
      const k = JSON.stringify(key(f));
      const acc: Acc = out.get(k) ?? {
        ...key(f),
        interactions: 0,
        errors: 0,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: 0,
      };
      acc.interactions = Number(acc.interactions) + 1;
      acc.errors = Number(acc.errors) + Number(f.error);
      acc.input_tokens = Number(acc.input_tokens) + f.input_tokens;
      acc.output_tokens = Number(acc.output_tokens) + f.output_tokens;
      acc.cost_usd = Number(acc.cost_usd) + f.cost_usd;
      if (withLatency) {
        acc.latency_count = Number(acc.latency_count ?? 0);
        acc.latency_sum = Number(acc.latency_sum ?? 0);
        const bins = (acc.bins ?? {}) as Record<string, number>;
        if (f.latency_ms !== null) {
          acc.latency_count += 1;
          acc.latency_sum += f.latency_ms;
          const bin = binOf(f.latency_ms);
          bins[bin] = (bins[bin] ?? 0) + 1;
        }
        acc.bins = bins;
      }
      extra?.(acc, f);
      out.set(k, acc);
    }
    return [...out.values()];
  };
  const cell = (acc: Acc, extra: Row = {}) => ({
    bucket: acc.bucket,
    capability: acc.capability,
    provider: acc.provider,
    interactions: acc.interactions,
    errors: acc.errors,
    latency_count: acc.latency_count,
    latency_sum: acc.latency_sum,
    latency_bins: JSON.stringify(acc.bins),
    input_tokens: acc.input_tokens,
    output_tokens: acc.output_tokens,
    cost_usd: Math.round(Number(acc.cost_usd) * 1e6) / 1e6,
    ...extra,
  });
  const days = group(
    (f) => ({ bucket: dayOf(f.started_at), capability: f.capability, provider: f.provider }),
    true,
    (acc, f) => {
      acc.ws = ((acc.ws as Set<string>) ?? new Set()).add(f.workspace);
    },
  );
  const hours = group(
    (f) => ({ bucket: hourOf(f.started_at), capability: f.capability, provider: f.provider }),
    true,
  );
  const workspaces = group(
    (f) => ({ day: dayOf(f.started_at), workspace: f.workspace }),
    false,
    (acc, f) => {
      acc.caps = ((acc.caps as Set<string>) ?? new Set()).add(f.capability);
      acc.last = Math.max(Number(acc.last ?? 0), f.started_at);
    },
  );
  const firstSeen = new Map<string, number>();
  for (const f of facts)
    firstSeen.set(f.capability, Math.min(firstSeen.get(f.capability) ?? f.started_at, f.started_at));
  return {
    days: sortRows(days.map((acc) => cell(acc, { workspaces: (acc.ws as Set<string>).size }))),
    hours: sortRows(hours.map((acc) => cell(acc))),
    workspaces: sortRows(
      workspaces.map((acc) => ({
        day: acc.day,
        workspace: acc.workspace,
        interactions: acc.interactions,
        errors: acc.errors,
        input_tokens: acc.input_tokens,
        output_tokens: acc.output_tokens,
        cost_usd: Math.round(Number(acc.cost_usd) * 1e6) / 1e6,
        capabilities: (acc.caps as Set<string>).size,
        last_interaction_at: acc.last,
      })),
    ),
    firstSeen,
  };
}

/** Bin JSON key order differs between the two sides; compare parsed. */
function normalizeBins(rows: string[]): string[] {
  return rows
    .map((text) => {
      const row = JSON.parse(text) as Row;
      if (typeof row.latency_bins === "string") {
        const bins = JSON.parse(row.latency_bins) as Record<string, number>;
        row.latency_bins = JSON.stringify(
          Object.fromEntries(Object.entries(bins).sort(([a], [b]) => a.localeCompare(b))),
        );
      }
      return JSON.stringify(row);
    })
    .sort();
}

/** Hour cells are kept 8 days (none written before); an hour's margin keeps the edge out of it. */
const keptHours = (rows: string[]) => {
  const from = hourOf(Date.now() - HOURS_KEPT_MS) + 3_600_000;
  return rows.filter((r) => Number((JSON.parse(r) as Row).bucket) >= from);
};

async function expectEqual(tenantId: string) {
  const have = await stored(tenantId);
  const want = await recomputed(tenantId);
  expect(normalizeBins(have.days)).toEqual(normalizeBins(want.days));
  expect(normalizeBins(keptHours(have.hours))).toEqual(normalizeBins(keptHours(want.hours)));
  // Nothing older than the kept window is written at all.
  const oldest = Math.min(...have.hours.map((r) => Number((JSON.parse(r) as Row).bucket)));
  expect(oldest).toBeGreaterThanOrEqual(hourOf(Date.now() - HOURS_KEPT_MS) - 3_600_000);
  expect(have.workspaces).toEqual(want.workspaces);
  // First sightings only ever move earlier: a capability the traffic has since left stays known.
  for (const [capability, at] of want.firstSeen) {
    const row = have.capabilities.map((r) => JSON.parse(r) as Row).find((r) => r.capability === capability);
    expect(Number(row?.first_seen_at)).toBeLessThanOrEqual(at);
  }
  return want;
}

describe("analytics rollups", () => {
  for (const seed of [1, 7, 42]) {
    it(`equal a recomputation after random traffic (seed ${seed})`, async () => {
      const session = await signup();
      const { key } = await createKey(session);
      const now = Date.now();
      const rnd = random(seed * 31);
      const batches = traffic(seed, 40, now);
      for (const batch of batches) {
        await ingest(key, batch);
        if (rnd() < 0.25) await foldAll(session.tenantId);
      }
      await foldAll(session.tenantId);
      const want = await expectEqual(session.tenantId);
      expect(want.days.length).toBeGreaterThan(3);
      // Folding again changes nothing.
      expect(await foldAll(session.tenantId)).toBe(0);
      await expectEqual(session.tenantId);
    }, 60_000);
  }

  it("repair recomputes a window that went wrong", async () => {
    const session = await signup();
    const { key } = await createKey(session);
    const now = Date.now();
    for (const batch of traffic(5, 25, now)) await ingest(key, batch);
    await foldAll(session.tenantId);
    await env.DB.prepare("UPDATE analytics_days SET interactions = interactions + 5 WHERE tenant_id = ?")
      .bind(session.tenantId)
      .run();
    await env.DB.prepare("DELETE FROM analytics_workspace_days WHERE tenant_id = ?")
      .bind(session.tenantId)
      .run();
    await repairWindow(env, session.tenantId, now - 12 * DAY_MS, now + DAY_MS);
    await expectEqual(session.tenantId);
  }, 60_000);
});
