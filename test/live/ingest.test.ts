import { describe, expect, it } from "vitest";
import { at, researchTrace } from "../fixtures";
import { createKey, ingest, signup } from "../helpers";
import { closeAll, connect, feed, publishAndSettle, viewerWithTraces, waitFor } from "./sockets";

// NEEDS WIRING: these go through POST /api/v1/traces/ingest, so they pass only once worker/index.ts
// registers the live feed's ingest listener (`onIngested(publishIngested)`).
describe("live feed through real ingest [needs ingest wiring]", () => {
  it("streams trace.started, span.created and trace.completed to /ws/live as a batch is ingested", async () => {
    const owner = await signup();
    const client = await connect("/ws/live", { cookie: owner.cookie });
    const batch = researchTrace();
    const traceId = batch.traces[0].id;
    await ingest((await createKey(owner)).key, batch);
    await waitFor(client, (m) => m.event === "trace.completed");
    expect(feed(client)).toEqual([
      `trace.started:${traceId}`,
      ...batch.spans.map((s) => `span.created:${s.id}`),
      `trace.completed:${traceId}`,
    ]);
    closeAll(client);
  });

  it("sends span.updated when a span is sent again, to the trace's socket too", async () => {
    const owner = await signup();
    const key = (await createKey(owner)).key;
    const batch = researchTrace();
    const span = batch.spans[0];
    await ingest(key, batch);
    const client = await connect(`/ws/traces/${span.trace_id}`, { cookie: owner.cookie });
    await ingest(key, { spans: [{ ...span, ended_at: at(6000) }] });
    const updated = await waitFor(client, (m) => m.event === "span.updated");
    expect(updated.payload).toMatchObject({ id: span.id, ended_at: at(6000), duration_ms: 6000 });
    closeAll(client);
  });

  it("shows a viewer none of the traces others send", async () => {
    const owner = await signup();
    const { viewer } = await viewerWithTraces(owner);
    const client = await connect("/ws/live", { cookie: viewer.cookie });
    const watcher = await connect("/ws/live", { cookie: owner.cookie });
    const theirs = researchTrace();
    await ingest((await createKey(owner)).key, theirs);
    // Once the owner has seen the whole trace, the hub has fanned it out to every socket.
    await waitFor(watcher, (m) => m.event === "trace.completed");
    await publishAndSettle(owner.tenantId, [], client, { owner: viewer.userId });
    expect(feed(client).some((line) => line.includes(theirs.traces[0].id))).toBe(false);
    closeAll(client, watcher);
  });
});
