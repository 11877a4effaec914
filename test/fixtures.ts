/** Builders for native ingest batches. */
let seq = 0;
export const at = (offsetMs: number) => new Date(Date.parse("2026-11-23T10:00:00Z") + offsetMs).toISOString();

export function traceId(label = "tr") {
  seq += 1;
  return `${label}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A planner → tool (failed, then retried) → llm → answer trace, five spans deep at most. */
export function researchTrace(id = traceId("research")) {
  return {
    traces: [
      {
        id,
        agent: "research-agent",
        name: "answer question",
        started_at: at(0),
        ended_at: at(5000),
        input: { question: "What is the capital of Kazakhstan?" },
        output: "Astana",
        tags: ["prod", "eu"],
        metadata: { version: "1.2" },
        user_id: "user-7",
        session_id: "sess-1",
      },
    ],
    spans: [
      {
        id: `${id}-root`,
        trace_id: id,
        type: "agent",
        name: "research",
        started_at: at(0),
        ended_at: at(5000),
        status: "ok",
      },
      {
        id: `${id}-plan`,
        trace_id: id,
        parent_id: `${id}-root`,
        type: "chain",
        name: "planner",
        started_at: at(10),
        ended_at: at(900),
        status: "ok",
      },
      {
        id: `${id}-search1`,
        trace_id: id,
        parent_id: `${id}-plan`,
        type: "tool",
        name: "web_search",
        started_at: at(20),
        ended_at: at(300),
        status: "error",
        error: { type: "Timeout", message: "search timed out" },
        tool: { name: "web_search", arguments: { q: "capital of Kazakhstan" } },
      },
      {
        id: `${id}-search2`,
        trace_id: id,
        parent_id: `${id}-plan`,
        type: "tool",
        name: "web_search",
        started_at: at(310),
        ended_at: at(600),
        status: "ok",
        tool: { name: "web_search", arguments: { q: "capital of Kazakhstan" }, result: ["Astana"] },
      },
      {
        id: `${id}-llm`,
        trace_id: id,
        parent_id: `${id}-root`,
        type: "llm",
        name: "compose answer",
        started_at: at(1000),
        ended_at: at(4000),
        status: "ok",
        model: "gpt-4o-mini",
        provider: "openai",
        usage: { input_tokens: 1000, output_tokens: 500 },
        input: [{ role: "user", content: "capital of Kazakhstan?" }],
        output: { role: "assistant", content: "Astana" },
      },
    ],
  };
}
