import { describe, expect, it } from "vitest";
import { createKey, type ErrorBody, ingest, signup, withKey } from "../helpers";

const HOUR = 3_600_000;
const base = Date.parse("2026-11-20T00:00:00Z");
const at = (ms: number) => new Date(base + ms).toISOString();

/** Two agents over two hours: durations 100..1000 ms, one error, gpt-4o-mini and a tool. */
async function seed(key: string) {
  const traces = [];
  const spans = [];
  for (let i = 0; i < 10; i++) {
    const id = `an-${i}`;
    const agent = i % 2 ? "sales" : "research";
    const start = (i < 5 ? 0 : HOUR) + i * 1000;
    traces.push({
      id,
      agent,
      started_at: at(start),
      ended_at: at(start + (i + 1) * 100),
      status: i === 3 ? "error" : "ok",
    });
    spans.push({
      id: `${id}-llm`,
      trace_id: id,
      type: "llm",
      name: "llm",
      started_at: at(start),
      ended_at: at(start + 50),
      status: "ok",
      model: "gpt-4o-mini",
      usage: { input_tokens: 1000, output_tokens: 100 },
    });
    spans.push({
      id: `${id}-tool`,
      trace_id: id,
      type: "tool",
      name: "search",
      started_at: at(start + 50),
      ended_at: at(start + 90),
      status: i === 3 ? "error" : "ok",
      tool: { name: "web_search" },
    });
  }
  await ingest(key, { traces, spans });
}

type Analytics = {
  bucket: string;
  cost_by_agent: { key: string; points: { value: number }[] }[];
  cost_by_model: { key: string; points: { value: number }[] }[];
  error_rate: { value: number }[];
  traces: { value: number }[];
  tokens: { key: string; points: { value: number }[] }[];
  latency: { agent: string; count: number; p50_ms: number; p95_ms: number; histogram: { count: number }[] }[];
  tools: { tool: string; calls: number; errors: number }[];
};

describe("GET /api/v1/analytics", () => {
  it("returns hourly series, latency percentiles and tool usage", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    await seed(key);
    const res = await withKey(key, `/api/v1/analytics?from=${at(0)}&to=${at(2 * HOUR)}`);
    expect(res.status).toBe(200);
    const a = (await res.json()) as Analytics;
    expect(a.bucket).toBe("hour");
    expect(a.traces.map((p) => p.value)).toEqual([5, 5]);
    expect(a.error_rate.map((p) => p.value)).toEqual([0.2, 0]);
    expect(a.tokens.find((t) => t.key === "input")?.points.map((p) => p.value)).toEqual([5000, 5000]);
    expect(a.cost_by_model.map((m) => m.key)).toEqual(["gpt-4o-mini"]);
    expect(a.cost_by_agent.map((m) => m.key).sort()).toEqual(["research", "sales"]);
    const research = a.latency.find((l) => l.agent === "research");
    // research traces: i = 0,2,4,6,8 → 100, 300, 500, 700, 900 ms
    expect(research).toMatchObject({ count: 5, p50_ms: 500, p95_ms: 900 });
    expect(research?.histogram.reduce((n, h) => n + h.count, 0)).toBe(5);
    expect(a.tools).toEqual([expect.objectContaining({ tool: "web_search", calls: 10, errors: 1 })]);
  });

  it("filters by agent and rejects a reversed range", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    await seed(key);
    const one = (await (
      await withKey(key, `/api/v1/analytics?from=${at(0)}&to=${at(2 * HOUR)}&agent=sales`)
    ).json()) as Analytics;
    expect(one.traces.map((p) => p.value)).toEqual([2, 3]);
    const bad = await withKey(key, `/api/v1/analytics?from=${at(HOUR)}&to=${at(0)}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.details?.[0].path).toBe("from");
  });

  it("shows another tenant nothing", async () => {
    const a = await signup();
    await seed((await createKey(a)).key);
    const other = (await createKey(await signup())).key;
    const res = (await (
      await withKey(other, `/api/v1/analytics?from=${at(0)}&to=${at(2 * HOUR)}`)
    ).json()) as Analytics;
    expect(res.traces).toEqual([]);
  });
});
