// A LangGraph-style research agent sent through the native ingest API: plan, search, read
// (one fetch times out and is retried), summarise, synthesise, answer.

import { randomUUID } from "node:crypto";
import { between, iso, layout, llm, MINUTE, pick, shortId, step, tool } from "./tree.mjs";

export const AGENT = "research-agent";

const RUNS = [
  {
    question: "What are the main differences between the EU AI Act and the US approach to AI regulation?",
    query: "EU AI Act vs US AI regulation comparison",
    topic: "policy",
    sources: [
      {
        url: "https://artificialintelligenceact.eu/high-level-summary/",
        title: "High-level summary of the AI Act",
      },
      {
        url: "https://www.brookings.edu/articles/the-eu-and-us-diverge-on-ai-regulation/",
        title: "The EU and US diverge on AI regulation",
      },
    ],
    answer:
      "The EU AI Act is a single binding law that sorts AI systems by risk (banned, high-risk, limited, minimal) and puts obligations on providers and deployers. The US has no federal AI statute: it relies on executive guidance, existing sector regulators (FTC, FDA, EEOC) and state laws such as Colorado's AI Act.",
  },
  {
    question: "How do solid-state batteries compare to lithium-ion for electric vehicles?",
    query: "solid-state battery vs lithium-ion EV energy density cost 2025",
    topic: "energy",
    sources: [
      {
        url: "https://www.nature.com/articles/s41560-023-01208-9",
        title: "Solid-state batteries: the critical role of mechanics",
      },
      { url: "https://www.iea.org/reports/global-ev-outlook-2025", title: "Global EV Outlook 2025" },
    ],
    answer:
      "Solid-state cells promise 30–50% higher energy density and better safety because they replace the flammable liquid electrolyte, but they are still in pilot production: dendrite growth, interface resistance and manufacturing cost keep them several times more expensive than mature lithium-ion.",
  },
  {
    question: "Which open-source vector databases support hybrid (keyword + vector) search?",
    query: "open source vector database hybrid search BM25",
    topic: "databases",
    sources: [
      { url: "https://weaviate.io/developers/weaviate/search/hybrid", title: "Hybrid search | Weaviate" },
      { url: "https://qdrant.tech/articles/hybrid-search/", title: "Hybrid Search Revamped - Qdrant" },
    ],
    answer:
      "Weaviate, Qdrant, Milvus and OpenSearch all support hybrid search natively, fusing BM25 or sparse-vector scores with dense-vector similarity (usually with reciprocal rank fusion). pgvector gets there by combining it with Postgres full-text search in one query.",
  },
  {
    question: "What does current research say about intermittent fasting and longevity in humans?",
    query: "intermittent fasting longevity human trials meta-analysis",
    topic: "health",
    sources: [
      {
        url: "https://www.nejm.org/doi/full/10.1056/NEJMra1905136",
        title: "Effects of Intermittent Fasting on Health, Aging, and Disease",
      },
      {
        url: "https://www.bmj.com/content/384/bmj-2023-076301",
        title: "Intermittent fasting strategies: umbrella review",
      },
    ],
    answer:
      "Human trials show intermittent fasting improves weight, insulin sensitivity and blood pressure about as much as ordinary calorie restriction. Lifespan effects are shown only in animals; there is no direct human evidence yet that it extends life.",
  },
];

const USERS = ["u_ada", "u_grace", "u_linus"];

/** Every run as the batches a tracing client would send, in the order it would send them. */
export function researchBatches(now) {
  return RUNS.map((run, i) => runBatches(run, now - (55 - i * 12) * MINUTE - between(0, 90_000)));
}

function runBatches(run, startMs) {
  const traceId = `research-${randomUUID()}`;
  const { spans, endMs } = layout(traceId, startMs, graph(run));
  const [root, ...rest] = spans;
  const trace = {
    id: traceId,
    agent: AGENT,
    name: "research_graph",
    started_at: iso(startMs),
    ended_at: iso(endMs),
    status: "ok",
    input: { question: run.question },
    output: { answer: run.answer, sources: run.sources.map((s) => s.url) },
    user_id: pick(USERS),
    session_id: `sess-${shortId()}`,
    tags: ["research", "langgraph", run.topic],
    metadata: {
      framework: "langgraph",
      langgraph_version: "0.6.7",
      environment: "demo",
      release: "2025.11.3",
    },
  };
  // Like a streaming client: the root span goes out when it starts, early steps before the trace
  // itself, and the root again once it ends; the server merges the two copies.
  const started = { ...root, status: "unset", ended_at: undefined, output: undefined };
  const half = Math.ceil(rest.length / 2);
  return [
    { spans: [started, ...rest.slice(0, half)] },
    { traces: [trace], spans: [...rest.slice(half), root] },
  ];
}

function graph(run) {
  const [first, second] = run.sources;
  const node = (name, children, fields = {}) =>
    step("chain", name, { ...fields, attributes: { "langgraph.node": name } }, children);
  return step(
    "agent",
    "research_graph",
    { input: { question: run.question }, output: { answer: run.answer } },
    [
      node("planner", [
        llm("plan_research", {
          model: "gpt-4o-mini",
          provider: "openai",
          system: "You are a research planner. Break the question into search queries.",
          prompt: run.question,
          completion: `1. Search: "${run.query}"\n2. Read the two most authoritative sources\n3. Synthesise a cited answer`,
        }),
      ]),
      node("research", [
        node("gather_sources", [
          tool("web_search", { query: run.query, max_results: 5 }, { results: run.sources }),
          node("read_sources", [
            node("read_source", [
              tool("fetch_page", { url: first.url }, null, {
                ms: 10_000,
                error: { type: "TimeoutError", message: `GET ${first.url} timed out after 10000 ms` },
              }),
              tool("fetch_page", { url: first.url, attempt: 2 }, pageResult(first), { delayMs: 1_000 }),
              summarise(first, run),
            ]),
            node("read_source", [
              tool("fetch_page", { url: second.url }, pageResult(second)),
              summarise(second, run),
            ]),
          ]),
        ]),
        llm("synthesize", {
          model: "gpt-4o",
          provider: "openai",
          system: "Combine the source summaries into a balanced answer. Cite sources.",
          prompt: `Question: ${run.question}\nSummaries of: ${run.sources.map((s) => s.title).join("; ")}`,
          completion: run.answer,
          ms: between(2500, 6000),
        }),
      ]),
      node("answer", [], { output: { answer: run.answer }, ms: between(5, 30) }),
    ],
  );
}

function pageResult(source) {
  return { url: source.url, status: 200, title: source.title, content_length: between(18_000, 90_000) };
}

function summarise(source, run) {
  return llm("summarize_page", {
    model: "claude-sonnet-4-5",
    provider: "anthropic",
    system: "Summarise the page in five bullet points relevant to the question.",
    prompt: `Question: ${run.question}\n\nPage: ${source.title} (${source.url})\n<page text omitted>`,
    completion: `- ${source.title}: key findings relevant to "${run.question}"\n- ${run.answer.split(". ")[0]}.`,
  });
}
