import { beforeAll, describe, expect, it } from "vitest";
import { at, researchTrace, traceId } from "../fixtures";
import { createKey, type ErrorBody, ingest, type Session, signup, withKey } from "../helpers";

type Page = {
  data: { id: string; agent: string; status: string; tags: string[] }[];
  next_cursor: string | null;
};
type Detail = {
  trace: { id: string; span_count: number };
  spans: { id: string; depth: number }[];
  totals: Record<string, number>;
};
type Dag = {
  nodes: {
    id: string;
    parent_id: string | null;
    depth: number;
    collapsed: boolean;
    hidden: boolean;
    descendant_count: number;
  }[];
  edges: { source: string; target: string }[];
};

let owner: Session;
let key: string;
let other: string;
/** A tenant of its own, so the looped trace leaves the lists above alone. */
let loopsKey: string;
const research = researchTrace();
const researchId = research.traces[0].id;

async function get<T>(path: string, k = key): Promise<T> {
  const res = await withKey(k, path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** A trace of `n` spans: a chain of depth 6 under the root, the rest fanned out below it. */
function wideTrace(id: string, n: number) {
  const spans = [
    {
      id: `${id}-0`,
      trace_id: id,
      type: "agent",
      name: "root",
      started_at: at(0),
      ended_at: at(n),
      status: "ok",
    },
  ];
  for (let i = 1; i < n; i++) {
    const parent = i <= 6 ? `${id}-${i - 1}` : `${id}-6`;
    spans.push({
      id: `${id}-${i}`,
      trace_id: id,
      parent_id: parent,
      type: i % 2 ? "tool" : "llm",
      name: `step ${i}`,
      started_at: at(i),
      ended_at: at(i + 1),
      status: "ok",
    } as (typeof spans)[0]);
  }
  return { traces: [{ id, agent: "wide-agent", started_at: at(0), ended_at: at(n) }], spans };
}

beforeAll(async () => {
  owner = await signup();
  key = (await createKey(owner)).key;
  other = (await createKey(await signup())).key;
  await ingest(key, research);
  for (let i = 0; i < 5; i++) {
    const id = traceId("sales");
    await ingest(key, {
      traces: [
        {
          id,
          agent: "sales-assistant",
          name: `quote ${i}`,
          started_at: at(60_000 + i * 1000),
          ended_at: at(60_000 + i * 1000 + 100 * i),
          input: `customer ${i} wants a discount on widgets`,
          tags: i % 2 ? ["vip"] : [],
        },
      ],
      spans: [
        {
          id: `${id}-s`,
          trace_id: id,
          type: "llm",
          name: "draft",
          started_at: at(60_000 + i * 1000),
          status: "ok",
          model: "claude-sonnet-4-5",
        },
      ],
    });
  }
  await ingest(key, wideTrace("wide", 150));
  loopsKey = (await createKey(await signup())).key;
  await ingest(loopsKey, loopedTrace("loops"));
});

/**
 * Parents that loop: a ⇄ b (c hangs off b), x → z → y → x with y the earliest, and s its own
 * parent; plus one honest root.
 */
function loopedTrace(id: string) {
  const span = (name: string, parent: string | null, offset: number) => ({
    id: `${id}-${name}`,
    trace_id: id,
    parent_id: parent === null ? null : `${id}-${parent}`,
    type: "tool",
    name,
    started_at: at(offset),
    ended_at: at(offset + 10),
    status: "ok",
  });
  return {
    traces: [{ id, agent: "loop-agent", started_at: at(0), ended_at: at(100) }],
    spans: [
      span("root", null, 0),
      span("b", "a", 2),
      span("a", "b", 1),
      span("c", "b", 3),
      span("s", "s", 4),
      span("x", "y", 7),
      span("y", "z", 5),
      span("z", "x", 6),
    ],
  };
}

describe("GET /api/v1/traces", () => {
  it("lists newest first and pages with a cursor without repeats", async () => {
    const first = await get<Page>("/api/v1/traces?limit=3");
    expect(first.data).toHaveLength(3);
    expect(first.next_cursor).not.toBeNull();
    const second = await get<Page>(`/api/v1/traces?limit=3&cursor=${first.next_cursor}`);
    const ids = [...first.data, ...second.data].map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(6);
  });

  it("filters by agent, status, tag, model, duration and time", async () => {
    expect((await get<Page>("/api/v1/traces?agent=sales-assistant")).data).toHaveLength(5);
    expect((await get<Page>("/api/v1/traces?status=error")).data.map((t) => t.id)).toEqual([researchId]);
    expect((await get<Page>("/api/v1/traces?tag=vip")).data).toHaveLength(2);
    expect((await get<Page>("/api/v1/traces?model=gpt-4o-mini")).data.map((t) => t.id)).toEqual([researchId]);
    expect((await get<Page>("/api/v1/traces?agent=sales-assistant&min_duration_ms=300")).data).toHaveLength(
      2,
    );
    const window = `from=${encodeURIComponent(at(60_000))}&to=${encodeURIComponent(at(62_000))}`;
    expect((await get<Page>(`/api/v1/traces?${window}`)).data).toHaveLength(2);
  });

  it("searches names, inputs and outputs with full-text search", async () => {
    expect((await get<Page>("/api/v1/traces?q=discount widgets")).data).toHaveLength(5);
    expect((await get<Page>("/api/v1/traces?q=Astana")).data.map((t) => t.id)).toEqual([researchId]);
    expect((await get<Page>('/api/v1/traces?q=" OR tenant_id')).data).toHaveLength(0);
  });

  it("refuses search text with no searchable words", async () => {
    for (const q of ["'", "...", "   "]) {
      const res = await withKey(key, `/api/v1/traces?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as ErrorBody).error.details).toEqual([
        { path: "q", message: "q has no searchable words; use letters or digits" },
      ]);
    }
  });

  it("rejects bad filters with field paths", async () => {
    const res = await withKey(key, "/api/v1/traces?limit=0&status=sideways");
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as ErrorBody).error.details?.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["limit", "status"]));
    expect((await withKey(key, "/api/v1/traces?cursor=garbage")).status).toBe(400);
  });

  it("never lists another tenant's traces", async () => {
    expect((await get<Page>("/api/v1/traces", other)).data).toHaveLength(0);
    expect((await get<Page>("/api/v1/traces?q=Astana", other)).data).toHaveLength(0);
  });
});

describe("GET /api/v1/traces/{id}", () => {
  it("returns spans in tree order with depths and totals", async () => {
    const d = await get<Detail>(`/api/v1/traces/${researchId}`);
    expect(d.spans.map((s) => [s.id.replace(`${researchId}-`, ""), s.depth])).toEqual([
      ["root", 0],
      ["plan", 1],
      ["search1", 2],
      ["search2", 2],
      ["llm", 1],
    ]);
    expect(d.totals).toMatchObject({
      spans: 5,
      errors: 1,
      input_tokens: 1000,
      output_tokens: 500,
      max_depth: 2,
    });
  });

  it("lists each span of a trace whose parents loop exactly once, breaking each loop at its earliest span", async () => {
    const d = await get<Detail>("/api/v1/traces/loops", loopsKey);
    expect(d.spans.map((s) => [s.id.replace("loops-", ""), s.depth])).toEqual([
      ["root", 0],
      ["a", 0],
      ["b", 1],
      ["c", 2],
      ["s", 0],
      ["y", 0],
      ["x", 1],
      ["z", 2],
    ]);
    expect(d.trace.span_count).toBe(d.spans.length);
    expect(d.totals.max_depth).toBe(2);
  });
});

describe("GET /api/v1/traces/{id}/dag", () => {
  it("draws small traces fully expanded", async () => {
    const dag = await get<Dag>(`/api/v1/traces/${researchId}/dag`);
    expect(dag.nodes).toHaveLength(5);
    expect(dag.edges).toHaveLength(4);
    expect(dag.nodes.some((n) => n.collapsed || n.hidden)).toBe(false);
  });

  it("draws each span of a looped trace once, without the edges that closed the loops", async () => {
    const dag = await get<Dag>("/api/v1/traces/loops/dag", loopsKey);
    const ids = dag.nodes.map((n) => n.id.replace("loops-", ""));
    expect(ids.sort()).toEqual(["a", "b", "c", "root", "s", "x", "y", "z"]);
    const edges = dag.edges.map((e) => `${e.source}>${e.target}`.replaceAll("loops-", ""));
    expect(edges.sort()).toEqual(["a>b", "b>c", "x>z", "y>x"]);
    const roots = dag.nodes.filter((n) => n.parent_id === null).map((n) => n.id.replace("loops-", ""));
    expect(roots.sort()).toEqual(["a", "root", "s", "y"]);
    expect(dag.nodes.find((n) => n.id === "loops-a")?.descendant_count).toBe(2);
  });

  it("collapses subtrees below depth 3 for traces over 100 nodes", async () => {
    const dag = await get<Dag>("/api/v1/traces/wide/dag");
    expect(dag.nodes).toHaveLength(150);
    const folded = dag.nodes.filter((n) => n.collapsed);
    expect(folded.map((n) => n.id)).toEqual(["wide-3"]);
    expect(folded[0].descendant_count).toBe(146);
    expect(dag.nodes.filter((n) => n.hidden)).toHaveLength(146);
  });
});

describe("GET /api/v1/spans/{id} and /api/v1/agents", () => {
  it("returns one span with its tool call", async () => {
    const span = await get<{ tool: { name: string }; status: string }>(`/api/v1/spans/${researchId}-search1`);
    expect(span).toMatchObject({ status: "error", tool: { name: "web_search" } });
  });

  it("reports agents with their last 24 hours", async () => {
    const agents = await get<{ data: { name: string }[] }>("/api/v1/agents");
    expect(agents.data.map((a) => a.name).sort()).toEqual([
      "research-agent",
      "sales-assistant",
      "wide-agent",
    ]);
    expect((await get<{ data: unknown[] }>("/api/v1/agents", other)).data).toHaveLength(0);
  });
});

describe("the read scope", () => {
  it("answers 403 for a key without the read scope", async () => {
    const ingestOnly = (await createKey(owner, ["ingest"])).key;
    expect((await withKey(ingestOnly, "/api/v1/traces")).status).toBe(403);
  });
});
