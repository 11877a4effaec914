import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateMessage } from "../../worker/governor/consumer";
import { at, traceId } from "../fixtures";
import { createKey, ingest, type Session, signup } from "../helpers";
import { connect, waitFor as frame, type LiveClient, publishAndSettle } from "../live/sockets";

/** Tool span n of the trace: distinct tools (so repeated_tool_calls stays quiet), 100 ms apart. */
function toolSpan(trace: string, n: number, tool = { name: `lookup_${n}`, arguments: { q: n } }) {
  return {
    id: `${trace}-s${n}`,
    trace_id: trace,
    type: "tool",
    name: tool.name,
    started_at: at(n * 100),
    ended_at: at(n * 100 + 10),
    status: "ok",
    tool,
  };
}
const tools = (trace: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => toolSpan(trace, from + i));

type Finding = {
  scope: string;
  span_id: string;
  outcome: string;
  score: number;
  measured: number;
  evaluated_at: number;
};

async function stormFindings(s: Session, trace: string) {
  const { results } = await env.DB.prepare(
    `SELECT scope, span_id, outcome, score, measured, evaluated_at FROM constitutional_evaluations
     WHERE tenant_id = ? AND trace_id = ? AND rule_name = 'tool_call_storm'`,
  )
    .bind(s.tenantId, trace)
    .all<Finding>();
  return results;
}

const processed = async (s: Session) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM governor_processed WHERE tenant_id = ?")
      .bind(s.tenantId)
      .first<{ n: number }>()
  )?.n ?? 0;

/** Ingests a batch and waits until the governor has evaluated it (the queue runs on its own). */
async function ingestAndGovern(s: Session, key: string, batch: unknown) {
  const before = await processed(s);
  await ingest(key, batch);
  const deadline = Date.now() + 5000;
  while ((await processed(s)) === before) {
    if (Date.now() > deadline) throw new Error("the governor did not evaluate the batch");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every storm alert the client got, once all published so far have arrived. */
async function stormAlerts(s: Session, client: LiveClient) {
  await publishAndSettle(s.tenantId, [], client, { owner: s.userId });
  return client.received.flatMap((m) =>
    m.event === "constitutional.alert" && m.payload.rule_name === "tool_call_storm" ? [m.payload] : [],
  );
}

describe("trace-level rules", () => {
  it("keep one finding per trace that goes amber once and red once as the trace grows", async () => {
    const s = await signup(); // the default packs: tool_call_storm is red over 50 tool calls, amber from 40
    const { key } = await createKey(s);
    const client = await connect("/ws/live", { cookie: s.cookie });
    const trace = traceId("storm");
    await ingestAndGovern(s, key, {
      traces: [{ id: trace, agent: "looper", started_at: at(0) }],
      spans: tools(trace, 0, 30),
    });
    expect(await stormFindings(s, trace)).toEqual([]);

    await ingestAndGovern(s, key, { spans: tools(trace, 30, 42) });
    const amber = await stormFindings(s, trace);
    // Amber from the 40th tool call (score 0.8), which is the span recorded as crossing.
    expect(amber).toEqual([
      expect.objectContaining({ scope: "trace", outcome: "amber", measured: 42, span_id: `${trace}-s39` }),
    ]);

    await ingestAndGovern(s, key, { spans: tools(trace, 42, 47) });
    const grown = await stormFindings(s, trace);
    expect(grown).toEqual([
      expect.objectContaining({ outcome: "amber", measured: 47, score: 0.94, span_id: `${trace}-s39` }),
    ]);
    expect(grown[0].evaluated_at).toBe(amber[0].evaluated_at); // same outcome: not a new finding

    await ingestAndGovern(s, key, { spans: tools(trace, 47, 60) });
    await frame(client, (m) => m.event === "constitutional.alert" && m.payload.outcome === "red");
    expect(await stormFindings(s, trace)).toEqual([
      expect.objectContaining({
        scope: "trace",
        outcome: "red",
        measured: 60,
        score: 1.2,
        span_id: `${trace}-s50`,
      }),
    ]);
    const alerts = await stormAlerts(s, client);
    expect(alerts.map((a) => [a.outcome, a.scope, a.span_id, a.measured])).toEqual([
      ["amber", "trace", `${trace}-s39`, 42],
      ["red", "trace", `${trace}-s50`, 60],
    ]);
    // The trace finding marks the crossing span, and the trace, red.
    const spans = await env.DB.prepare(
      "SELECT id, worst_outcome FROM spans WHERE tenant_id = ? AND trace_id = ? AND id IN (?, ?)",
    )
      .bind(s.tenantId, trace, `${trace}-s39`, `${trace}-s50`)
      .all<{ id: string; worst_outcome: string }>();
    expect(Object.fromEntries(spans.results.map((r) => [r.id, r.worst_outcome]))).toEqual({
      [`${trace}-s39`]: "pass",
      [`${trace}-s50`]: "red",
    });
    client.ws.close();
  });

  it("adds no row and no alert when a message is redelivered or a span re-sent", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const client = await connect("/ws/live", { cookie: s.cookie });
    const trace = traceId("resend");
    await ingestAndGovern(s, key, {
      traces: [{ id: trace, agent: "looper", started_at: at(0) }],
      spans: tools(trace, 0, 55),
    });
    await frame(
      client,
      (m) => m.event === "constitutional.alert" && m.payload.rule_name === "tool_call_storm",
    );
    const message = {
      kind: "evaluate" as const,
      tenant_id: s.tenantId,
      data_db: "DB",
      spans: [[trace, `${trace}-s54`]] as [string, string][],
    };
    await evaluateMessage(env, "resend-1", message); // the same span sent again
    await evaluateMessage(env, "resend-1", message); // and that message redelivered
    await ingestAndGovern(s, key, { spans: tools(trace, 50, 55) });
    expect(await stormFindings(s, trace)).toEqual([
      expect.objectContaining({ scope: "trace", outcome: "red", measured: 55, span_id: `${trace}-s50` }),
    ]);
    expect((await stormAlerts(s, client)).map((a) => a.outcome)).toEqual(["red"]);
    client.ws.close();
  });

  it("still gives per-span rules one finding per span", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const trace = traceId("per-span");
    const bulk = (n: number, files: number) =>
      toolSpan(trace, n, {
        name: "delete_files",
        arguments: { files: Array.from({ length: files }, (_, i) => `f${i}`) } as never,
      });
    await ingestAndGovern(s, key, {
      traces: [{ id: trace, agent: "janitor", started_at: at(0) }],
      spans: [bulk(0, 7), bulk(1, 2), bulk(2, 9)],
    });
    const { results } = await env.DB.prepare(
      `SELECT scope, span_id, outcome FROM constitutional_evaluations
       WHERE tenant_id = ? AND trace_id = ? AND rule_name = 'no_bulk_delete' ORDER BY span_id`,
    )
      .bind(s.tenantId, trace)
      .all<{ scope: string; span_id: string; outcome: string }>();
    expect(results).toEqual([
      { scope: "span", span_id: `${trace}-s0`, outcome: "red" },
      { scope: "span", span_id: `${trace}-s2`, outcome: "red" },
    ]);
  });
});
