import { beforeAll, describe, expect, it } from "vitest";
import { createKey, ingest, signup, unique, withKey } from "../helpers";

let key: string;

beforeAll(async () => {
  key = (await createKey(await signup())).key;
});

const T0 = Date.parse("2026-03-01T10:00:00.000Z");
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

/** A trace sent without an end, with spans ending at the given offsets (null: still open). */
function traceWithSpans(ends: (number | null)[]) {
  const id = unique("derived");
  return {
    id,
    batch: {
      traces: [{ id, agent: "derive-agent", name: "derived end", started_at: T0 }],
      spans: ends.map((end, i) => ({
        id: `${id}-s${i}`,
        trace_id: id,
        type: "llm",
        name: `call ${i}`,
        started_at: T0 + 100 * i,
        ...(end === null ? {} : { ended_at: T0 + end }),
        status: "ok",
      })),
    },
  };
}

type TraceView = { id: string; ended_at: string | null; duration_ms: number | null };

async function detailAndListed(id: string): Promise<[TraceView, TraceView | undefined]> {
  const detail = (await (await withKey(key, `/api/v1/traces/${id}`)).json()) as { trace: TraceView };
  const list = (await (await withKey(key, "/api/v1/traces?agent=derive-agent&limit=100")).json()) as {
    data: TraceView[];
  };
  return [detail.trace, list.data.find((t) => t.id === id)];
}

describe("a trace sent without ended_at", () => {
  it("ends when its last span ends, once every span has ended, in the detail and the list", async () => {
    const { id, batch } = traceWithSpans([400, 2_500, 1_200]);
    await ingest(key, batch);
    for (const trace of await detailAndListed(id)) {
      expect(trace).toMatchObject({ ended_at: iso(2_500), duration_ms: 2_500 });
    }
  });

  it("is running while one of its spans is open, and ends when that span's end arrives", async () => {
    const { id, batch } = traceWithSpans([400, null]);
    await ingest(key, batch);
    for (const trace of await detailAndListed(id)) {
      expect(trace).toMatchObject({ ended_at: null, duration_ms: null });
    }
    await ingest(key, { spans: [{ ...batch.spans[1], ended_at: T0 + 3_000 }] });
    for (const trace of await detailAndListed(id)) {
      expect(trace).toMatchObject({ ended_at: iso(3_000), duration_ms: 3_000 });
    }
  });

  it("runs again when a new open span arrives after the derived end", async () => {
    const { id, batch } = traceWithSpans([400]);
    await ingest(key, batch);
    expect((await detailAndListed(id))[0].ended_at).toBe(iso(400));
    const late = { ...batch.spans[0], id: `${id}-late`, started_at: T0 + 900, ended_at: undefined };
    await ingest(key, { spans: [late] });
    expect((await detailAndListed(id))[0]).toMatchObject({ ended_at: null, duration_ms: null });
  });

  it("keeps the derived end when the trace is sent again without one", async () => {
    const { id, batch } = traceWithSpans([700]);
    await ingest(key, batch);
    await ingest(key, { traces: [{ ...batch.traces[0], output: "done" }] });
    expect((await detailAndListed(id))[0]).toMatchObject({ ended_at: iso(700), duration_ms: 700 });
  });

  it("takes the ended_at the client sends later over the one derived from its spans", async () => {
    const { id, batch } = traceWithSpans([700]);
    await ingest(key, batch);
    await ingest(key, { traces: [{ ...batch.traces[0], ended_at: T0 + 5_000 }] });
    for (const trace of await detailAndListed(id)) {
      expect(trace).toMatchObject({ ended_at: iso(5_000), duration_ms: 5_000 });
    }
    await ingest(key, { spans: [{ ...batch.spans[0], id: `${id}-after`, ended_at: T0 + 9_000 }] });
    expect((await detailAndListed(id))[0]).toMatchObject({ ended_at: iso(5_000), duration_ms: 5_000 });
  });
});
