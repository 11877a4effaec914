// Analytics and Settings in a real browser: a realistic workload ingested from Node fills every chart;
// the range and agent filters live in the URL; an owner invites a viewer, who joins through the link and
// sees no admin actions; the owner promotes the viewer to member and then removes them.
import assert from "node:assert/strict";
import { screenshot, startStack, step } from "./harness.mjs";

const stack = await startStack();
const { url, browser } = stack;
const run = Date.now().toString(36);
const tenantName = `Northwind ${run}`;
const email = `owner-${run}@example.com`;
const viewerEmail = `viewer-${run}@example.com`;
const password = "correct horse battery";

const agents = ["support-bot", "research-agent", "billing-assistant", "code-reviewer"];
const models = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "claude-3-5-haiku-20241022"];
const tools = ["search_kb", "fetch_url", "sql_query", "create_ticket", "send_email", "run_tests"];

/** A deterministic pseudo-random source, so every run ingests the same workload. */
function random(seed) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** About 90 traces over the last six hours: agent roots, LLM calls with tokens, tool calls, some failures. */
function workload(now) {
  const rnd = random(42);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const traces = [];
  const spans = [];
  for (let i = 0; i < 90; i++) {
    const agentIndex = i % agents.length;
    const agent = agents[agentIndex];
    const id = `wl-${run}-${i}`;
    const start = now - Math.floor(rnd() * 6 * 3600_000) - 60_000;
    // code-reviewer fails often (above the 5% target); the others rarely.
    const failed = rnd() < (agent === "code-reviewer" ? 0.2 : 0.03);
    let t = start + 20;
    const children = [];
    const steps = 2 + Math.floor(rnd() * 4);
    for (let j = 0; j < steps; j++) {
      const isTool = j % 2 === 1;
      const duration = Math.floor((isTool ? 80 : 400) * (1 + rnd() * (agentIndex + 1) * 3));
      const base = {
        id: `${id}-s${j}`,
        trace_id: id,
        parent_id: `${id}-root`,
        started_at: t,
        ended_at: t + duration,
      };
      const last = j === steps - 1;
      if (isTool) {
        const toolFailed = (failed && last) || rnd() < 0.04;
        children.push({
          ...base,
          type: "tool",
          name: "tool call",
          status: toolFailed ? "error" : "ok",
          ...(toolFailed ? { error: { type: "ToolError", message: "upstream timed out" } } : {}),
          tool: { name: pick(tools), arguments: { q: "status of order 1042" }, result: { ok: !toolFailed } },
        });
      } else {
        children.push({
          ...base,
          type: "llm",
          name: "chat",
          status: failed && last ? "error" : "ok",
          ...(failed && last ? { error: { type: "RateLimitError", message: "429 from provider" } } : {}),
          model: models[(agentIndex + j) % models.length],
          provider: "openai",
          usage: {
            input_tokens: 400 + Math.floor(rnd() * 3000),
            output_tokens: 50 + Math.floor(rnd() * 600),
          },
        });
      }
      t += duration + 10;
    }
    spans.push(
      {
        id: `${id}-root`,
        trace_id: id,
        type: "agent",
        name: agent,
        started_at: start,
        ended_at: t,
        status: failed ? "error" : "ok",
      },
      ...children,
    );
    traces.push({
      id,
      agent,
      name: `${agent} run`,
      started_at: start,
      ended_at: t,
      status: failed ? "error" : "ok",
    });
  }
  return { traces, spans };
}

const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
const page = await context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(err));

const card = (id) => page.getByTestId(id);
const legend = (id) => card(id).locator(".legend");
const memberRow = (p, who) =>
  p.getByRole("table", { name: "Members" }).getByRole("row").filter({ hasText: who });

/** Waits until every chart on the analytics page has drawn its canvas. */
async function chartsDrawn() {
  for (const id of ["cost-chart", "error-chart", "tokens-chart", "latency-histogram"]) {
    await card(id).locator("canvas").first().waitFor();
  }
  await card("tools-chart").locator("tbody tr").first().waitFor();
  await card("latency-chart").locator("tbody tr").first().waitFor();
}

try {
  await step("signs up", page, async () => {
    await page.goto("/");
    const form = page.getByRole("form", { name: "Create your workspace" });
    await form.getByLabel("Workspace name").fill(tenantName);
    await form.getByLabel("Work email").fill(email);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "Create workspace" }).click();
    await page.getByTestId("tenant-name").waitFor();
  });

  await step("shows the empty state with how to send traces", page, async () => {
    await page.getByRole("link", { name: "Analytics" }).click();
    await card("analytics-empty").getByText("/api/v1/traces/ingest").waitFor();
    await screenshot(page, "analytics-empty");
  });

  let apiKey = "";
  await step("creates an API key in Settings → API keys", page, async () => {
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Members" }).waitFor();
    await page
      .getByRole("navigation", { name: "Settings sections" })
      .getByRole("link", { name: "API keys" })
      .click();
    const form = page.getByRole("form", { name: "Create API key" });
    await form.getByLabel("Key name").fill("analytics workload");
    await form.getByRole("checkbox", { name: /read/ }).check();
    await form.getByRole("button", { name: "Create API key" }).click();
    apiKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    assert.match(apiKey, /^at_\S{20,}$/);
    assert.ok(page.url().endsWith("/settings/api-keys"), page.url());
    await screenshot(page, "settings-api-keys");
  });

  await step("ingests a realistic workload with the native API", page, async () => {
    const batch = workload(Date.now());
    const res = await fetch(`${url}/api/v1/traces/ingest`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(batch),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual((await res.json()).accepted, { traces: batch.traces.length, spans: batch.spans.length });
  });

  await step("renders every chart with data, legends naming agents and models", page, async () => {
    await page.goto("/analytics?tab=cost&range=24h");
    await chartsDrawn();
    for (const agent of agents) await legend("cost-chart").getByText(agent, { exact: true }).waitFor();
    await legend("tokens-chart").getByText("Input", { exact: true }).waitFor();
    await legend("tokens-chart").getByText("Output", { exact: true }).waitFor();
    for (const agent of agents) await card("latency-chart").getByRole("button", { name: agent }).waitFor();
    for (const tool of tools.slice(0, 3))
      await card("tools-chart").getByText(tool, { exact: true }).waitFor();
    const errorPill = await card("error-chart").locator(".pill").textContent();
    assert.match(errorPill ?? "", /^\d+(\.\d)?% overall$/);

    await card("cost-chart").getByRole("button", { name: "By model" }).click();
    for (const model of models) await legend("cost-chart").getByText(model, { exact: true }).waitFor();
    await card("cost-chart").locator("canvas").first().waitFor();
    await screenshot(page, "analytics");
  });

  await step(
    "reads values with the keyboard and shows the histogram of the selected agent",
    page,
    async () => {
      const plot = card("cost-chart").locator(".chart-plot");
      await plot.focus();
      await page.keyboard.press("ArrowLeft");
      await card("cost-chart").locator(".chart-tip").getByText("Total").waitFor();
      await page.keyboard.press("ArrowLeft");
      await screenshot(page, "analytics-tooltip");
      await card("cost-chart").locator(".chart-tip").getByText("Total").waitFor();
      await card("latency-chart").getByRole("button", { name: "code-reviewer" }).click();
      await card("latency-histogram").getByText("code-reviewer").waitFor();
      await card("latency-histogram").locator("canvas").first().waitFor();
    },
  );

  await step("switches the range, kept in the URL", page, async () => {
    await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "7d" }).click();
    await page.waitForURL(/range=7d/);
    await page.getByText("over the last 7 days").waitFor();
    await chartsDrawn();
    await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "30d" }).click();
    await page.waitForURL(/range=30d/);
    await page.getByText("USD per day").waitFor();
    await chartsDrawn();
  });

  await step("filters by agent, kept in the URL", page, async () => {
    await page.getByLabel("Agent", { exact: true }).selectOption("billing-assistant");
    await page.waitForURL(/agent=billing-assistant/);
    await page.getByRole("heading", { level: 1, name: "billing-assistant" }).waitFor();
    await chartsDrawn();
    await card("cost-chart").getByRole("button", { name: "By agent" }).click();
    assert.deepEqual(await legend("cost-chart").locator(".legend-label").allTextContents(), [
      "billing-assistant",
    ]);
    assert.deepEqual(await card("latency-chart").locator(".row-pick").allTextContents(), [
      "billing-assistant",
    ]);
    await screenshot(page, "analytics-agent");
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto("/analytics?tab=cost&range=24h");
    await chartsDrawn();
    await screenshot(page, "analytics-1024");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step("refuses to demote the last owner with the server's message", page, async () => {
    await page.goto("/settings/members");
    const row = memberRow(page, email);
    await row.getByRole("combobox").selectOption("viewer");
    await row.getByRole("button", { name: "Save" }).click();
    await row.getByRole("alert").filter({ hasText: "last owner" }).waitFor();
    await row.getByRole("button", { name: "Cancel" }).click();
    assert.equal(await row.getByRole("alert").count(), 0);
  });

  let acceptUrl = "";
  await step("invites a viewer and shows the accept link once", page, async () => {
    await page.getByRole("link", { name: "Invite people" }).click();
    const form = page.getByRole("form", { name: "Invite someone" });
    await form.getByLabel("Email").fill(viewerEmail);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Create invitation" }).click();
    acceptUrl = (await page.getByTestId("accept-url").textContent()) ?? "";
    assert.ok(acceptUrl.startsWith(`${url}/accept-invitation?token=`), acceptUrl);
    await page.getByRole("button", { name: "Copy link" }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), acceptUrl);
    const invited = page
      .getByRole("table", { name: "Invitations" })
      .getByRole("row")
      .filter({ hasText: viewerEmail });
    await invited.getByText("Pending").waitFor();
    await screenshot(page, "settings-invitations");
  });

  const viewerContext = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
  const viewer = await viewerContext.newPage();
  viewer.on("pageerror", (err) => pageErrors.push(err));
  await step("the invitee joins through the link in a fresh browser", viewer, async () => {
    await viewer.goto(acceptUrl);
    await viewer.getByLabel("Password").fill(password);
    await viewer.getByRole("button", { name: "Set password and sign in" }).click();
    await viewer.getByTestId("tenant-name").filter({ hasText: tenantName }).waitFor();
  });

  await step("the viewer sees no admin actions in Settings", viewer, async () => {
    await viewer.getByRole("link", { name: "Settings" }).click();
    await viewer.getByTestId("my-role").filter({ hasText: "viewer" }).waitFor();
    await memberRow(viewer, email).waitFor();
    await memberRow(viewer, viewerEmail).waitFor();
    const nav = viewer.getByRole("navigation", { name: "Settings sections" });
    assert.equal(await nav.getByRole("link", { name: "Invitations" }).count(), 0);
    assert.equal(await viewer.getByRole("combobox").count(), 0, "no role pickers");
    assert.equal(await viewer.getByRole("button", { name: "Remove" }).count(), 0);
    assert.equal(await viewer.getByRole("link", { name: "Invite people" }).count(), 0);
    await screenshot(viewer, "settings-members-viewer");
    await viewer.goto("/settings/invitations");
    await viewer.getByText("Only owners and admins can invite people.").waitFor();
    assert.equal(await viewer.getByRole("form", { name: "Invite someone" }).count(), 0);
  });

  await step("the owner makes the viewer a member, then removes them", page, async () => {
    await page.goto("/settings/members");
    const row = memberRow(page, viewerEmail);
    await row.getByRole("combobox").selectOption("member");
    await screenshot(page, "settings-members");
    await row.getByRole("button", { name: "Save" }).click();
    await row.getByRole("button", { name: "Save" }).waitFor({ state: "detached" });
    assert.equal(await row.getByRole("combobox").inputValue(), "member");
    await page.reload();
    assert.equal(await memberRow(page, viewerEmail).getByRole("combobox").inputValue(), "member");

    await memberRow(page, viewerEmail).getByRole("button", { name: "Remove" }).click();
    await memberRow(page, viewerEmail).getByRole("button", { name: "Confirm remove" }).click();
    await memberRow(page, viewerEmail).waitFor({ state: "detached" });
    await page.goto("/settings/invitations");
    const invited = page
      .getByRole("table", { name: "Invitations" })
      .getByRole("row")
      .filter({ hasText: viewerEmail });
    await invited.getByText("Accepted").waitFor();
  });

  await step("the removed user's session has ended", viewer, async () => {
    const status = await viewer.evaluate(async () => (await fetch("/api/v1/auth/me")).status);
    assert.equal(status, 401);
    await viewerContext.close();
  });

  await step("raises no uncaught errors in the page", page, async () => {
    assert.deepEqual(pageErrors.map(String), []);
  });
} finally {
  await stack.close();
}
