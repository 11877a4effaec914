// The Traces pages in a real browser: the empty list, traces arriving live from the native API and
// from OTLP/JSON, filters in the URL, the detail page's graph (folding, pan/zoom, keyboard), timeline
// and span panel kept in sync, span content shown as text only, a running trace updating live, and
// the time to lay out and draw 1,000 nodes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { screenshot, startStack, step } from "./harness.mjs";

const stack = await startStack();
const { url, browser } = stack;
const run = Date.now().toString(36);
const XSS = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;
const QUESTION = "Where is my refund for order #1234? It has been two weeks.";

const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(err));

async function post(apiKey, path, body) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

async function get(apiKey, path) {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** A support agent's run: an LLM call, a lookup, a red bulk delete, a reply whose input is hostile. */
function supportTrace(id, at, { ended }) {
  const span = (suffix, fields) => ({ id: `${id}-${suffix}`, trace_id: id, status: "ok", ...fields });
  return {
    traces: [
      {
        id,
        agent: "support-bot",
        name: "Refund enquiry",
        started_at: at,
        ...(ended ? { ended_at: at + 4200 } : {}),
      },
    ],
    spans: [
      // A running trace is one with a span still open: with every span ended it would end too.
      span("root", {
        type: "agent",
        name: "handle ticket",
        started_at: at,
        ...(ended ? { ended_at: at + 4100 } : {}),
      }),
      span("plan", {
        parent_id: `${id}-root`,
        type: "llm",
        name: "plan answer",
        model: "gpt-4o",
        started_at: at + 50,
        ended_at: at + 1650,
        input: { messages: [{ role: "user", content: QUESTION }] },
        output: { role: "assistant", content: "Look up the order, then reply." },
        usage: { input_tokens: 812, output_tokens: 64 },
      }),
      span("lookup", {
        parent_id: `${id}-root`,
        type: "tool",
        name: "lookup_order",
        started_at: at + 1700,
        ended_at: at + 2100,
        tool: { name: "lookup_order", arguments: { order_id: 1234 }, result: { status: "refunded" } },
      }),
      span("cleanup", {
        parent_id: `${id}-root`,
        type: "tool",
        name: "delete_files",
        started_at: at + 2150,
        ended_at: at + 2400,
        tool: {
          name: "delete_files",
          arguments: { files: Array.from({ length: 9 }, (_, i) => `/tmp/cache-${i}`) },
        },
      }),
      span("reply", {
        parent_id: `${id}-root`,
        type: "llm",
        name: "render <b>reply</b>",
        model: "gpt-4o-mini",
        started_at: at + 2450,
        ended_at: at + 4000,
        input: XSS,
        output: "Your refund was issued on 3 November.",
        usage: { input_tokens: 300, output_tokens: 41 },
      }),
    ],
  };
}

/** One OTLP/JSON root span with a child LLM call, as an OpenTelemetry exporter would send it. */
function otlpTrace(at) {
  const traceId = randomBytes(16).toString("hex");
  const rootId = randomBytes(8).toString("hex");
  const nanos = (ms) => `${BigInt(ms) * 1_000_000n}`;
  const attr = (key, value) => ({
    key,
    value: typeof value === "number" ? { intValue: value } : { stringValue: value },
  });
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [attr("service.name", "otel-researcher")] },
        scopeSpans: [
          {
            scope: { name: "e2e" },
            spans: [
              {
                traceId,
                spanId: rootId,
                name: "research topic",
                kind: 1,
                startTimeUnixNano: nanos(at),
                endTimeUnixNano: nanos(at + 2600),
                status: { code: 1 },
              },
              {
                traceId,
                spanId: randomBytes(8).toString("hex"),
                parentSpanId: rootId,
                name: "chat claude",
                kind: 3,
                startTimeUnixNano: nanos(at + 100),
                endTimeUnixNano: nanos(at + 2400),
                attributes: [
                  attr("gen_ai.operation.name", "chat"),
                  attr("gen_ai.request.model", "claude-3-5-sonnet"),
                  attr("gen_ai.usage.input_tokens", 1200),
                  attr("gen_ai.usage.output_tokens", 300),
                ],
                status: { code: 1 },
              },
            ],
          },
        ],
      },
    ],
  };
  return { traceId, body };
}

/** 1,000 spans, five levels below the root: the planner fans out into steps, calls and tools. */
function bigTrace(id, at) {
  const kinds = ["chain", "llm", "tool", "retriever", "llm", "tool", "agent"];
  const spans = [
    {
      id: `${id}-0`,
      trace_id: id,
      type: "agent",
      name: "planner",
      started_at: at,
      ended_at: at + 60_000,
      status: "ok",
    },
  ];
  const fanout = [8, 4, 3, 3, 2];
  let level = [spans[0]];
  for (let depth = 1; depth <= fanout.length && spans.length < 1000; depth++) {
    const next = [];
    for (const parent of level) {
      const width = (parent.ended_at - parent.started_at) / fanout[depth - 1];
      for (let i = 0; i < fanout[depth - 1] && spans.length < 1000; i++) {
        const start = Math.round(parent.started_at + i * width);
        const type = kinds[(spans.length + depth) % kinds.length];
        const span = {
          id: `${id}-${spans.length}`,
          trace_id: id,
          parent_id: parent.id,
          type,
          name: `${type} step ${depth}.${i + 1}`,
          started_at: start,
          ended_at: start + Math.round(width * 0.85),
          status: spans.length % 97 === 0 ? "error" : "ok",
          ...(type === "llm"
            ? { model: "gpt-4o-mini", usage: { input_tokens: 120, output_tokens: 30 } }
            : {}),
          ...(type === "tool"
            ? { tool: { name: "search_docs", arguments: { q: `step ${spans.length}` } } }
            : {}),
        };
        spans.push(span);
        next.push(span);
      }
    }
    level = next;
  }
  return {
    traces: [{ id, agent: "deep-planner", name: "Quarterly report", started_at: at, ended_at: at + 60_000 }],
    spans,
  };
}

async function waitForEvaluations(apiKey, traceId, atLeast) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { data } = await get(apiKey, `/api/v1/evaluations?trace_id=${traceId}&limit=200`);
    if (data.length >= atLeast) return data;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`fewer than ${atLeast} evaluations for ${traceId}`);
}

const row = (text) => page.locator(".traces-table tbody tr").filter({ hasText: text });
const dagNode = (name) => page.locator(".dag-node").filter({ has: page.locator("title", { hasText: name }) });
const dagMeasure = (name, nodes) =>
  page.evaluate(
    ([n, count]) =>
      performance
        .getEntriesByName(n)
        .filter((e) => e.detail?.nodes === count)
        .at(-1)?.duration,
    [name, nodes],
  );

try {
  let apiKey = "";
  await step("signs up and creates a key with ingest and read scopes", page, async () => {
    await page.goto("/");
    const form = page.getByRole("form", { name: "Create your workspace" });
    await form.getByLabel("Workspace name").fill(`Traces ${run}`);
    await form.getByLabel("Work email").fill(`traces-${run}@example.com`);
    await form.getByLabel("Password").fill("correct horse battery");
    await form.getByRole("button", { name: "Create workspace" }).click();
    const keyForm = page.getByRole("form", { name: "Create API key" });
    await keyForm.getByLabel("Key name").fill("traces e2e");
    await keyForm.getByRole("checkbox", { name: /read/ }).check();
    await keyForm.getByRole("button", { name: "Create API key" }).click();
    apiKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    assert.match(apiKey, /^at_/);
  });

  await step("shows an empty state that points at the ingest snippets", page, async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Traces" }).click();
    const empty = page.getByTestId("traces-empty");
    await empty.waitFor();
    assert.equal(
      await empty.getByRole("link", { name: "Get the ingest snippets" }).getAttribute("href"),
      "/#send-title",
    );
    await page.locator(".live-indicator.live-live").waitFor();
    await screenshot(page, "traces-01-empty");
  });

  const supportId = `support-${run}`;
  let otlpId = "";
  await step(
    "shows a native trace and an OTLP/JSON trace arriving live, without a reload",
    page,
    async () => {
      await page.evaluate(() => {
        window.__sameDocument = true;
      });
      await post(
        apiKey,
        "/api/v1/traces/ingest",
        supportTrace(supportId, Date.now() - 5000, { ended: false }),
      );
      await row("Refund enquiry").waitFor();
      const otlp = otlpTrace(Date.now() - 2000);
      otlpId = otlp.traceId;
      await post(apiKey, "/v1/traces", otlp.body);
      await row("otel-researcher").waitFor();
      assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page must not reload");
      const first = await page.locator(".traces-table tbody tr").first().getAttribute("data-id");
      assert.equal(first, otlpId, "the newest trace is at the top");
      await row("Refund enquiry").getByText("Running").waitFor();
    },
  );

  await step("shows the worst rule outcome once the governor has run", page, async () => {
    await waitForEvaluations(apiKey, supportId, 1);
    await row("Refund enquiry").locator(".pill.outcome-red").waitFor();
    await screenshot(page, "traces-02-list");
  });

  await step("filters by agent through the URL and the agent select", page, async () => {
    await page.goto("/traces?agent=otel-researcher");
    await row("otel-researcher").waitFor();
    assert.equal(await row("Refund enquiry").count(), 0);
    assert.equal(await page.getByLabel("Agent").inputValue(), "otel-researcher");
    await page.getByLabel("Agent").selectOption("support-bot");
    await page.waitForURL(/agent=support-bot/);
    await row("Refund enquiry").waitFor();
    assert.equal(await row("otel-researcher").count(), 0);
    await page.getByRole("searchbox", { name: "Search" }).fill("refund");
    await page.waitForURL(/q=refund/);
    await row("Refund enquiry").waitFor();
    await page.getByLabel("Rules").selectOption("false");
    await page.getByTestId("traces-no-match").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await row("otel-researcher").waitFor();
    assert.equal(new URL(page.url()).search, "");
  });

  await step("loads more on demand and keeps the reader's place when traces arrive", page, async () => {
    const hourAgo = Date.now() - 3_600_000;
    const traces = Array.from({ length: 60 }, (_, i) => ({
      id: `batch-${run}-${i}`,
      agent: "batch-bot",
      name: `Nightly sync ${i}`,
      started_at: hourAgo - i * 60_000,
      ended_at: hourAgo - i * 60_000 + 900,
    }));
    await post(apiKey, "/api/v1/traces/ingest", { traces });
    await page.reload();
    const rows = page.locator(".traces-table tbody tr");
    await row("Nightly sync 46").waitFor();
    assert.equal(await rows.count(), 50);
    await page.getByRole("button", { name: "Load more" }).click();
    await row("Nightly sync 59").waitFor();
    assert.equal(await rows.count(), 62);
    await page.getByText("62 traces, all loaded").waitFor();

    const anchor = row("Nightly sync 20");
    await anchor.evaluate((el) => el.scrollIntoView({ block: "start" }));
    const before = (await anchor.boundingBox()).y;
    await post(apiKey, "/api/v1/traces/ingest", {
      traces: [{ id: `late-${run}`, agent: "support-bot", name: "Late arrival", started_at: Date.now() }],
    });
    await row("Late arrival").waitFor({ state: "attached" });
    assert.equal(await rows.first().getAttribute("data-id"), `late-${run}`);
    const after = (await anchor.boundingBox()).y;
    assert.ok(Math.abs(after - before) < 2, `the row moved from ${before} to ${after}`);
  });

  await step("draws the trace's graph and selects a span in all three views", page, async () => {
    await row("Refund enquiry").locator("td").nth(4).click();
    await page.waitForURL(new RegExp(`/traces/${supportId}$`));
    await page.getByRole("heading", { name: "Refund enquiry", level: 1 }).waitFor();
    assert.equal(await page.locator(".dag-node").count(), 5);
    await dagNode("plan answer").click();
    await page.waitForURL(/span=/);
    const input = page.getByTestId("span-input");
    await input.waitFor();
    assert.ok((await input.textContent()).includes(QUESTION));
    await page.locator(".timeline-row.selected").filter({ hasText: "plan answer" }).waitFor();
    await page.getByTestId("span-panel").getByText("Every rule that applies to this span passed.").waitFor();

    // Selecting in the timeline selects in the graph, and the keyboard walks the graph.
    await page.locator(".timeline-row").filter({ hasText: "lookup_order" }).click();
    await page.locator(".dag-node.selected").filter({ hasText: "lookup_order" }).waitFor();
    await page.locator(".dag-node.selected").focus();
    await page.keyboard.press("ArrowDown");
    await page.locator(".dag-node.selected").filter({ hasText: "delete_files" }).waitFor();
    await page.locator(".dag-node.outcome-red.selected").waitFor();
    await page.getByTestId("span-panel").getByText("no_bulk_delete").waitFor();
  });

  await step("shows hostile span content as text and runs none of it", page, async () => {
    await page.locator(".timeline-row").filter({ hasText: "render <b>reply</b>" }).click();
    const input = page.getByTestId("span-input");
    await input.filter({ hasText: "<script>window.__xss=1</script>" }).waitFor();
    assert.equal(await input.textContent(), XSS);
    assert.equal(
      await page.locator(".span-panel img, .span-panel script, .timeline b, .dag-node b").count(),
      0,
    );
    await page.getByRole("heading", { name: "render <b>reply</b>" }).waitFor();
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "traces-03-detail");
  });

  await step("updates a running trace live: a new span and its end", page, async () => {
    await page.getByText("Running…").waitFor();
    const at = Date.now();
    await post(apiKey, "/api/v1/traces/ingest", {
      traces: [
        { id: supportId, agent: "support-bot", name: "Refund enquiry", started_at: at - 5000, ended_at: at },
      ],
      spans: [
        {
          id: `${supportId}-notify`,
          trace_id: supportId,
          parent_id: `${supportId}-root`,
          type: "tool",
          name: "send_email",
          started_at: at - 200,
          ended_at: at - 50,
          status: "ok",
          tool: { name: "send_email", arguments: { to: "customer" } },
        },
      ],
    });
    await dagNode("send_email").waitFor();
    assert.equal(await page.locator(".dag-node").count(), 6);
    await page.getByText("Running…").waitFor({ state: "detached" });
  });

  const bigId = `big-${run}`;
  await step("folds a 1,000-span trace below depth 3 and expands a subtree on click", page, async () => {
    const batch = bigTrace(bigId, Date.now() - 120_000);
    assert.equal(batch.spans.length, 1000);
    await post(apiKey, "/api/v1/traces/ingest", batch);
    await page.goto(`/traces/${bigId}`);
    await page.getByRole("heading", { name: "Quarterly report" }).waitFor();
    // Levels 0–3 are laid out and deeper ones folded; only what is on screen is in the DOM.
    const graph = page.locator(".dag-frame");
    await graph.and(page.locator('[data-shown="137"]')).waitFor();
    await page.getByText("137 of 1,000 spans shown").waitFor();
    assert.ok(Number(await graph.getAttribute("data-drawn")) < 137);
    // Selecting a folded node in the timeline brings it into view in the graph.
    await page.locator(`.timeline-row[data-id="${bigId}-41"]`).click();
    const folded = page.locator(".dag-node.selected .toggle.folded");
    assert.equal(await folded.locator("text").textContent(), "+9");
    await folded.click();
    await graph.and(page.locator('[data-shown="146"]')).waitFor();
    await page.locator(`.dag-node[data-id="${bigId}-137"]`).waitFor();
    await page.getByRole("button", { name: "Zoom in" }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "traces-04-large-folded");
  });

  await step("lays out and draws all 1,000 nodes", page, async () => {
    await page.getByRole("button", { name: "Expand all" }).click();
    await page.locator('.dag-frame[data-shown="1000"]').waitFor();
    await page.waitForFunction(() =>
      performance.getEntriesByName("dag:paint").some((e) => e.detail?.nodes === 1000),
    );
    const drawn = await page.evaluate(
      () =>
        performance
          .getEntriesByName("dag:render")
          .filter((e) => e.detail?.nodes === 1000)
          .at(-1)?.detail.drawn,
    );
    const timing = {
      layout: await dagMeasure("dag:layout", 1000),
      render: await dagMeasure("dag:render", 1000),
      paint: await dagMeasure("dag:paint", 1000),
    };
    console.log(
      `    1,000 nodes: layout ${timing.layout.toFixed(0)} ms, layout+DOM ${timing.render.toFixed(0)} ms, to first paint ${timing.paint.toFixed(0)} ms (${drawn} on screen)`,
    );
    assert.ok(timing.render < 1500, `layout and render took ${timing.render} ms`);
    await page.locator(".timeline-row").nth(400).click();
    await page.locator(".dag-node.selected").waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "traces-05-large-expanded");
  });

  await step("says so when a trace does not exist", page, async () => {
    await page.goto("/traces/no-such-trace");
    await page.getByRole("heading", { name: "Trace not found" }).waitFor();
  });

  await step("ends a trace sent without ended_at once all its spans have ended", page, async () => {
    const id = `derived-${run}`;
    const at = Date.now() - 60_000;
    const batch = supportTrace(id, at, { ended: false });
    batch.traces[0].name = "Derived end";
    batch.spans[0].ended_at = at + 4100;
    await post(apiKey, "/api/v1/traces/ingest", batch);
    for (const width of [390, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`/traces/${id}`);
      await page.getByRole("heading", { name: "Derived end" }).waitFor();
      const duration = page.locator(".trace-header .stat").filter({ hasText: "Duration" }).locator("dd");
      assert.equal(await duration.textContent(), "4.10 s");
      const header = page.locator(".trace-header");
      assert.equal(await header.getByText("Running").count(), 0);
      await header.getByText("Completed").waitFor();
      await screenshot(page, `traces-08-derived-end-${width}`);
    }
  });

  await step("fits a laptop screen", page, async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto("/traces");
    await row("Refund enquiry").waitFor();
    await screenshot(page, "traces-06-list-1024");
    await page.goto(`/traces/${supportId}?span=${supportId}-plan`);
    await page.getByTestId("span-input").waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "traces-07-detail-1024");
  });

  await step("raises no uncaught errors in the page", page, async () => {
    assert.deepEqual(pageErrors.map(String), []);
  });
} finally {
  await stack.close();
}
