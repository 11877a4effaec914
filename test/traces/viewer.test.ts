import { beforeAll, describe, expect, it } from "vitest";
import { at, traceId } from "../fixtures";
import { as, createKey, ingest, type Session, signup } from "../helpers";
import { viewerWithTraces } from "../live/sockets";

/** A trace whose one tool span runs `sudo rm -rf /`: the default shell rule marks it red. */
function shellTrace(agent: string) {
  const id = traceId(agent);
  return {
    id,
    batch: {
      traces: [{ id, agent, name: "cleanup disk", started_at: at(0), ended_at: at(1000), status: "ok" }],
      spans: [
        {
          id: `${id}-sh`,
          trace_id: id,
          type: "tool",
          name: "shell",
          started_at: at(0),
          ended_at: at(1000),
          status: "ok",
          tool: { name: "shell", arguments: { cmd: "sudo rm -rf /" } },
        },
      ],
    },
  };
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const get = async <T>(s: Session, path: string) => {
  const res = await as(s, path);
  return { status: res.status, body: (await res.json()) as T };
};

type Page = { data: { id?: string; trace_id?: string; name?: string }[] };
type Summary = { totals: { red: number } };

let owner: Session;
let viewer: Session;
const mine = shellTrace("viewer-agent");
const theirs = shellTrace("owner-agent");
const range = `from=${encodeURIComponent(at(-3_600_000))}&to=${encodeURIComponent(at(3_600_000))}`;

beforeAll(async () => {
  owner = await signup();
  viewer = (await viewerWithTraces(owner, mine.batch)).viewer;
  await ingest((await createKey(owner)).key, theirs.batch);
  // Both traces' findings are stored before the reads below.
  await waitFor(
    () => get<Page>(owner, "/api/v1/evaluations?outcome=red"),
    (r) => r.body.data.length >= 2,
  );
});

describe("a viewer reads only the traces sent with their own keys", () => {
  it("lists and searches only their traces", async () => {
    expect((await get<Page>(owner, "/api/v1/traces")).body.data.map((t) => t.id).sort()).toEqual(
      [mine.id, theirs.id].sort(),
    );
    expect((await get<Page>(viewer, "/api/v1/traces")).body.data.map((t) => t.id)).toEqual([mine.id]);
    expect((await get<Page>(viewer, "/api/v1/traces?agent=owner-agent")).body.data).toEqual([]);
    expect((await get<Page>(viewer, "/api/v1/traces?q=cleanup")).body.data.map((t) => t.id)).toEqual([
      mine.id,
    ]);
  });

  it("gets 404 for someone else's trace, its DAG, span and stored payload, and 200 for their own", async () => {
    for (const path of [
      `/api/v1/traces/${theirs.id}`,
      `/api/v1/traces/${theirs.id}/dag`,
      `/api/v1/spans/${theirs.id}-sh`,
      `/api/v1/spans/${theirs.id}-sh/payload?field=input`,
    ]) {
      expect((await as(viewer, path)).status).toBe(404);
      expect((await as(owner, path)).status).not.toBe(403);
    }
    for (const path of [
      `/api/v1/traces/${mine.id}`,
      `/api/v1/traces/${mine.id}/dag`,
      `/api/v1/spans/${mine.id}-sh`,
    ]) {
      expect((await as(viewer, path)).status).toBe(200);
    }
  });

  it("sees only the evaluations of their traces, and 404 for another's", async () => {
    const all = await get<Page>(owner, "/api/v1/evaluations?outcome=red");
    const own = await get<Page>(viewer, "/api/v1/evaluations?outcome=red");
    expect(own.body.data.map((e) => e.trace_id)).toEqual([mine.id]);
    const foreign = all.body.data.find((e) => e.trace_id === theirs.id);
    expect((await as(viewer, `/api/v1/evaluations/${foreign?.id}`)).status).toBe(404);
    expect((await as(owner, `/api/v1/evaluations/${foreign?.id}`)).status).toBe(200);
    const summary = (s: Session) => get<Summary>(s, `/api/v1/evaluations/summary?${range}`);
    expect((await summary(owner)).body.totals.red).toBe(2);
    expect((await summary(viewer)).body.totals.red).toBe(1);
  });

  it("counts only their traces in analytics and agents", async () => {
    type Analytics = { traces: { value: number }[] };
    const traces = async (s: Session) =>
      (await get<Analytics>(s, `/api/v1/analytics?${range}`)).body.traces.reduce((n, p) => n + p.value, 0);
    expect(await traces(owner)).toBe(2);
    expect(await traces(viewer)).toBe(1);
    const agents = async (s: Session) => (await get<Page>(s, "/api/v1/agents")).body.data.map((a) => a.name);
    expect((await agents(owner)).sort()).toEqual(["owner-agent", "viewer-agent"]);
    expect(await agents(viewer)).toEqual(["viewer-agent"]);
  });
});
