import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StoredBatch } from "../../worker/ingest/listeners";
import { IngestBatch } from "../../worker/ingest/schemas";
import { normalizeBatch } from "../../worker/ingest/service/normalize";
import { LiveMessage, parseFrame } from "../../worker/live/protocol";
import {
  ingestEventCount,
  ingestEvents,
  publishIngested,
  publishToHub,
  tenantHub,
} from "../../worker/live/publish";
import { at, researchTrace } from "../fixtures";
import { unique } from "../helpers";

function stored(raw: unknown, news: { traces?: string[]; spans?: string[] }): StoredBatch {
  const batch = IngestBatch.parse(raw);
  return {
    tenant: { id: "tenant-x", name: "x", dataDb: "DB" },
    apiKeyId: "key-1",
    userId: "user-1",
    batch,
    spanRows: normalizeBatch(batch, "tenant-x").spans,
    receivedAt: Date.now(),
    newTraceIds: new Set(news.traces ?? []),
    newSpanIds: new Set(news.spans ?? []),
  };
}

const summary = (events: ReturnType<typeof ingestEvents>) =>
  events.map((e) => `${e.event}:${"id" in e.payload ? e.payload.id : ""}`);

describe("ingestEvents", () => {
  it("turns a new trace into trace.started, span.created for each span and trace.completed", () => {
    const batch = researchTrace("tr-1");
    const events = ingestEvents(stored(batch, { traces: ["tr-1"], spans: batch.spans.map((s) => s.id) }));
    expect(summary(events)).toEqual([
      "trace.started:tr-1",
      ...batch.spans.map((s) => `span.created:${s.id}`),
      "trace.completed:tr-1",
    ]);
    expect(events.every((e) => e.ownerUserId === "user-1")).toBe(true);
    expect(events[0].payload).toEqual({
      id: "tr-1",
      agent: "research-agent",
      name: "answer question",
      started_at: at(0),
      status: "unset",
    });
    expect(events.at(-1)?.payload).toMatchObject({ ended_at: at(5000), duration_ms: 5000 });
  });

  it("produces frames the shared protocol schema accepts", () => {
    const batch = researchTrace("tr-2");
    for (const e of ingestEvents(stored(batch, { traces: ["tr-2"] }))) {
      const frame = { event: e.event, payload: e.payload, ts: new Date().toISOString(), seq: 1 };
      expect(LiveMessage.safeParse(frame).success, e.event).toBe(true);
    }
  });

  it("marks re-sent spans as span.updated and starts no trace twice", () => {
    const span = {
      id: "s1",
      trace_id: "tr-3",
      type: "llm",
      name: "call",
      started_at: at(0),
      ended_at: at(40),
    };
    const events = ingestEvents(stored({ spans: [{ ...span, model: "gpt-4o", status: "ok" }] }, {}));
    expect(summary(events)).toEqual(["span.updated:s1"]);
    expect(events[0].payload).toMatchObject({ duration_ms: 40, model: "gpt-4o", parent_id: null });
  });

  it("starts a trace known only through its spans, from its earliest span", () => {
    const spans = [2, 1].map((n) => ({
      id: `s${n}`,
      trace_id: "tr-4",
      type: "tool",
      name: "search",
      started_at: at(n * 100),
      tool: { name: "web_search" },
    }));
    const events = ingestEvents(stored({ spans }, { traces: ["tr-4"], spans: ["s1", "s2"] }));
    expect(events[0]).toMatchObject({
      event: "trace.started",
      payload: { id: "tr-4", agent: "unknown", name: null, started_at: at(100) },
    });
    expect(events[1].payload).toMatchObject({ tool_name: "web_search", ended_at: null, duration_ms: null });
  });

  it("completes an unset trace whose spans failed as error", () => {
    const trace = { id: "tr-5", agent: "a", started_at: at(0), ended_at: at(10) };
    const span = { id: "s", trace_id: "tr-5", type: "llm", name: "x", started_at: at(0), status: "error" };
    const events = ingestEvents(stored({ traces: [trace], spans: [span] }, {}));
    expect(events.at(-1)).toMatchObject({ event: "trace.completed", payload: { status: "error" } });
  });
});

describe("publishToHub", () => {
  it("makes no call for an empty list, and one seq per event otherwise", async () => {
    const tenantId = unique("tenant");
    await publishToHub(env, tenantId, []);
    const hub = tenantHub(env, tenantId);
    const head = () =>
      runInDurableObject(hub, (_, state) => state.storage.sql.exec("SELECT * FROM meta").toArray());
    expect(await head()).toEqual([]);
    const batch = researchTrace("tr-6");
    await publishToHub(env, tenantId, ingestEvents(stored(batch, { traces: ["tr-6"] })));
    expect(await head()).toEqual([{ key: "head", value: batch.spans.length + 2 }]);
  });
});

describe("publishIngested", () => {
  it("counts the events it would make without making them", () => {
    const spans = researchTrace("tr-7").spans;
    const cases = [
      stored(researchTrace("tr-7"), { traces: ["tr-7"], spans: spans.map((s) => s.id) }),
      stored(researchTrace("tr-8"), {}),
      stored({ spans }, { traces: ["tr-7"] }),
      stored({ spans }, {}),
    ];
    for (const c of cases) expect(ingestEventCount(c)).toBe(ingestEvents(c).length);
  });

  it("only counts a batch's events at a hub nobody listens to", async () => {
    const tenantId = unique("tenant");
    const hub = tenantHub(env, tenantId);
    const rows = () =>
      runInDurableObject(hub, (_, state) => ({
        head: state.storage.sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = 'head'").one()
          .value,
        events: state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM events").one().n,
      }));
    const batch = researchTrace("tr-9");
    const one = stored(batch, { traces: ["tr-9"] });
    await publishIngested(env, { ...one, tenant: { ...one.tenant, id: tenantId } });
    expect(await rows()).toEqual({ head: batch.spans.length + 2, events: 0 });
    // A hub someone listens to gets the events themselves: test/live/ingest.test.ts.
  });
});

describe("parseFrame", () => {
  it("reads a frame of several lines and skips lines it does not know", () => {
    const ready = {
      event: "feed.ready",
      payload: { scope: "tenant", trace_id: null, replayed: 0 },
      ts: at(0),
      seq: 4,
    };
    const future = { event: "ablation.progress", payload: { done: 1 }, ts: at(0), seq: 5 };
    const text = [ready, future, "not json", ready].map((m) =>
      typeof m === "string" ? m : JSON.stringify(m),
    );
    expect(parseFrame(text.join("\n"))).toEqual([ready, ready]);
  });
});
