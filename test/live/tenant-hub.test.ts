import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { disconnectFromHub, publishToHub, tenantHub } from "../../worker/live/publish";
import { MAX_EVENTS } from "../../worker/live/replay-buffer";
import type { SocketScope } from "../../worker/live/scope";
import { researchTrace } from "../fixtures";
import { createKey, ingest, type Session, signup } from "../helpers";
import {
  closeAll,
  connect,
  feed,
  inviteViewer,
  type LiveClient,
  publishAndSettle,
  spanEvent,
  waitFor,
} from "./sockets";

const live = (s: Session, since?: number, frames?: "json" | "ndjson") => {
  const query = new URLSearchParams();
  if (since !== undefined) query.set("since", String(since));
  if (frames) query.set("frames", frames);
  return connect(query.size ? `/ws/live?${query}` : "/ws/live", { cookie: s.cookie });
};

const lastSeq = (c: LiveClient) => c.received[c.received.length - 1].seq;

const spanIds = (c: LiveClient) =>
  c.received.flatMap((m) => (m.event === "span.created" ? [m.payload.id] : []));

describe("tenant hub fan-out", () => {
  it("sends an owner and a member every event of the tenant, in seq order", async () => {
    const owner = await signup();
    const [viewer, member] = [await inviteViewer(owner), await inviteViewer(owner, "member")];
    const [a, b] = [await live(owner), await live(member)];
    const events = [spanEvent("t1", "s1", owner.userId), spanEvent("t2", "s2", viewer.userId)];
    await publishToHub(env, owner.tenantId, [...events, spanEvent("t3", "s3", null)]);
    for (const client of [a, b]) {
      await waitFor(client, (m) => m.event === "span.created" && m.payload.id === "s3");
      expect(feed(client)).toEqual(["span.created:s1", "span.created:s2", "span.created:s3"]);
      const seqs = client.received.slice(1).map((m) => m.seq);
      expect(seqs).toEqual([seqs[0], seqs[0] + 1, seqs[0] + 2]);
    }
    closeAll(a, b);
  });

  it("sends each event as a frame of its own that JSON.parse reads as one envelope", async () => {
    const owner = await signup();
    const client = await live(owner);
    const raw: string[] = [];
    client.ws.addEventListener("message", (e) => {
      raw.push(String(e.data));
    });
    const events = ["a", "b", "c"].map((id) => spanEvent("t", id, owner.userId));
    await publishToHub(env, owner.tenantId, events);
    await waitFor(client, (m) => m.event === "span.created" && m.payload.id === "c");
    expect(client.perFrame).toEqual([1, 1, 1, 1]); // feed.ready, then one frame per event
    expect(raw.map((frame) => JSON.parse(frame).payload.id)).toEqual(["a", "b", "c"]);
    expect(feed(client)).toEqual(["span.created:a", "span.created:b", "span.created:c"]);
    closeAll(client);
  });

  it("packs the events of one publish into one frame, one message per line, with frames=ndjson", async () => {
    const owner = await signup();
    const [packed, plain] = [await live(owner, undefined, "ndjson"), await live(owner)];
    const events = ["a", "b", "c"].map((id) => spanEvent("t", id, owner.userId));
    await publishToHub(env, owner.tenantId, events);
    for (const client of [packed, plain]) {
      await waitFor(client, (m) => m.event === "span.created" && m.payload.id === "c");
      expect(feed(client)).toEqual(["span.created:a", "span.created:b", "span.created:c"]);
    }
    expect(packed.perFrame).toEqual([1, 3]);
    expect(plain.perFrame).toEqual([1, 1, 1, 1]);
    closeAll(packed, plain);
  });

  it("replays missed events with feed.ready in one frame with frames=ndjson, one frame each without", async () => {
    const owner = await signup();
    const first = await live(owner);
    const seen = lastSeq(first);
    closeAll(first);
    await publishToHub(env, owner.tenantId, [spanEvent("t", "m1", null), spanEvent("t", "m2", null)]);
    const [packed, plain] = [await live(owner, seen, "ndjson"), await live(owner, seen)];
    expect(packed.perFrame).toEqual([3]);
    expect(plain.perFrame).toEqual([1, 1, 1]);
    for (const client of [packed, plain]) {
      expect(client.received.map((m) => m.event)).toEqual(["span.created", "span.created", "feed.ready"]);
    }
    closeAll(packed, plain);
  });

  it("sends a viewer only the events of traces they sent", async () => {
    const owner = await signup();
    const viewer = await inviteViewer(owner);
    const client = await live(viewer);
    const events = [
      spanEvent("t-owner", "owner-span", owner.userId),
      spanEvent("t-viewer", "viewer-span", viewer.userId),
      spanEvent("t-nobody", "nobody-span", null),
    ];
    await publishAndSettle(owner.tenantId, events, client, { owner: viewer.userId });
    expect(feed(client)).toEqual(["span.created:viewer-span"]);
    closeAll(client);
  });

  it("sends another tenant nothing", async () => {
    const [a, b] = [await signup(), await signup()];
    const clientB = await live(b);
    await publishToHub(env, a.tenantId, [spanEvent("t-a", "a-span", a.userId)]);
    await publishAndSettle(b.tenantId, [], clientB, { owner: b.userId });
    expect(feed(clientB)).toEqual([]);
    closeAll(clientB);
  });

  it("sends a trace socket only that trace's events", async () => {
    const owner = await signup();
    const batch = researchTrace();
    const traceId = batch.traces[0].id;
    await ingest((await createKey(owner)).key, batch);
    const client = await connect(`/ws/traces/${traceId}`, { cookie: owner.cookie });
    const events = [
      spanEvent("elsewhere", "other-span", owner.userId),
      spanEvent(traceId, "mine", owner.userId),
    ];
    await publishAndSettle(owner.tenantId, events, client, { owner: owner.userId, traceId });
    expect(feed(client)).toEqual(["span.created:mine"]);
    closeAll(client);
  });
});

describe("tenant hub replay", () => {
  it("replays what a client missed when it reconnects with its last seq, then goes live", async () => {
    const owner = await signup();
    const first = await live(owner);
    await publishToHub(env, owner.tenantId, [spanEvent("t", "before", owner.userId)]);
    await waitFor(first, (m) => m.event === "span.created");
    const seen = lastSeq(first);
    first.ws.close(1000, "page hidden");
    await publishToHub(env, owner.tenantId, [
      spanEvent("t", "missed-1", null),
      spanEvent("t", "missed-2", null),
    ]);
    const again = await live(owner, seen);
    expect(again.received.map((m) => m.event)).toEqual(["span.created", "span.created", "feed.ready"]);
    expect(spanIds(again)).toEqual(["missed-1", "missed-2"]);
    expect(again.received[2]).toMatchObject({ seq: seen + 2, payload: { replayed: 2, scope: "tenant" } });
    await publishToHub(env, owner.tenantId, [spanEvent("t", "live", null)]);
    await waitFor(again, (m) => m.event === "span.created" && m.payload.id === "live");
    expect(lastSeq(again)).toBe(seen + 3);
    closeAll(again);
  });

  it("replays to a viewer only the missed events they may see", async () => {
    const owner = await signup();
    const viewer = await inviteViewer(owner);
    const first = await live(viewer);
    const since = first.received[0].seq;
    first.ws.close(1000, "gone");
    await publishToHub(env, owner.tenantId, [
      spanEvent("t1", "not-yours", owner.userId),
      spanEvent("t2", "yours", viewer.userId),
    ]);
    const again = await live(viewer, since);
    expect(spanIds(again)).toEqual(["yours"]);
    expect(again.received[1].payload).toMatchObject({ replayed: 1, scope: "own" });
    closeAll(again);
  });

  it("sends replay.gap when the buffer no longer reaches back to the client's seq", async () => {
    const owner = await signup();
    closeAll(await live(owner)); // a listener was here, so the hub keeps a replay buffer
    const total = MAX_EVENTS + 10;
    const events = Array.from({ length: total }, (_, i) => spanEvent("bulk", `bulk-${i}`, owner.userId));
    await publishToHub(env, owner.tenantId, events);
    const client = await connect("/ws/live?since=3", { cookie: owner.cookie });
    expect(client.received[0]).toEqual({
      event: "replay.gap",
      payload: { since: 3, oldest_available: 11, head: total },
      ts: expect.any(String),
      seq: 10,
    });
    expect(client.received.length).toBe(MAX_EVENTS + 2);
    expect(client.received[1].seq).toBe(11);
    expect(client.received[MAX_EVENTS + 1]).toMatchObject({ event: "feed.ready", seq: total });
    closeAll(client);
  });

  it("counts but does not store events while nobody has listened for a whole replay window", async () => {
    const owner = await signup();
    await publishToHub(env, owner.tenantId, [
      spanEvent("t", "unheard-1", null),
      spanEvent("t", "unheard-2", null),
    ]);
    const rows = await runInDurableObject(tenantHub(env, owner.tenantId), (_, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM events").one(),
    );
    expect(rows.n).toBe(0);
    const client = await live(owner, 0);
    expect(client.received.map((m) => [m.event, m.seq])).toEqual([
      ["replay.gap", 2],
      ["feed.ready", 2],
    ]);
    closeAll(client);
  });

  it("sends replay.gap once events are older than the replay window", async () => {
    const owner = await signup();
    closeAll(await live(owner)); // a listener was here, so the hub keeps a replay buffer
    await publishToHub(env, owner.tenantId, [spanEvent("t", "old-1", null), spanEvent("t", "old-2", null)]);
    const hub = tenantHub(env, owner.tenantId);
    await runInDurableObject(hub, (_, state) => {
      state.storage.sql.exec("UPDATE events SET ts = ts - ?", 11 * 60_000);
    });
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    const client = await live(owner, 0);
    expect(client.received.map((m) => [m.event, m.seq])).toEqual([
      ["replay.gap", 2],
      ["feed.ready", 2],
    ]);
    expect(client.received[0].payload).toEqual({ since: 0, oldest_available: null, head: 2 });
    closeAll(client);
  });

  it("tells a client whose seq is ahead of the hub to start over from the hub's head", async () => {
    const owner = await signup();
    const client = await live(owner, 42);
    expect(client.received.map((m) => [m.event, m.seq])).toEqual([
      ["replay.gap", 0],
      ["feed.ready", 0],
    ]);
    closeAll(client);
  });
});

describe("tenant hub sockets", () => {
  it("keeps delivering to the others when a socket is gone or its send throws", async () => {
    const owner = await signup();
    const member = await inviteViewer(owner, "member");
    const [gone, broken, healthy] = [await live(owner), await live(member), await live(owner)];
    gone.ws.close(1000, "tab closed");
    const hub = tenantHub(env, owner.tenantId);
    // The member's socket fails on its next send, as a socket whose peer vanished does.
    await runInDurableObject(hub, (_, state) => {
      const isMember = (ws: WebSocket) =>
        (ws.deserializeAttachment() as SocketScope).userId === member.userId;
      for (const ws of state.getWebSockets().filter(isMember)) {
        Object.defineProperty(ws, "send", {
          value: () => {
            throw new Error("peer vanished");
          },
        });
      }
    });
    await publishToHub(env, owner.tenantId, [spanEvent("t", "after", null)]);
    await waitFor(healthy, (m) => m.event === "span.created" && m.payload.id === "after");
    expect((await broken.closed).code).toBe(1011);
    expect(feed(broken)).toEqual([]);
    closeAll(healthy);
  });

  it("keeps sockets and the seq counter when the hub hibernates", async () => {
    const owner = await signup();
    const client = await live(owner);
    await publishToHub(env, owner.tenantId, [spanEvent("t", "before-sleep", null)]);
    await waitFor(client, (m) => m.event === "span.created");
    await evictDurableObject(tenantHub(env, owner.tenantId));
    await publishToHub(env, owner.tenantId, [spanEvent("t", "after-sleep", null)]);
    await waitFor(client, (m) => m.event === "span.created" && m.payload.id === "after-sleep");
    expect(client.received.slice(1).map((m) => m.seq)).toEqual([1, 2]);
    closeAll(client);
  });

  it("answers ping with pong", async () => {
    const client = await live(await signup());
    client.ws.send("ping");
    const deadline = Date.now() + 2000;
    while (client.pongs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(client.pongs).toBe(1);
    closeAll(client);
  });

  it("closes only the given user's sockets when asked to disconnect them", async () => {
    const owner = await signup();
    const viewer = await inviteViewer(owner);
    const [theirs, mine] = [await live(viewer), await live(owner)];
    await disconnectFromHub(env, owner.tenantId, viewer.userId);
    expect((await theirs.closed).code).toBe(1008);
    await publishAndSettle(owner.tenantId, [], mine, { owner: owner.userId });
    expect(mine.ws.readyState).toBe(WebSocket.OPEN);
    closeAll(mine);
  });
});
