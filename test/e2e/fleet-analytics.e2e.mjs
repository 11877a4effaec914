// Fleet analytics in a real browser: 14 days of backdated traffic ingested from Node (capabilities
// from trace metadata, workspaces from `metadata.workspace_id`, providers from LLM spans) and folded
// by the minute cron fill the Overview, Workspaces and Capabilities tabs; a KPI and a table row drill
// into the filtered trace list. (The live `alert.fired` toast is not driven here: no incident fired
// from this workload within the test's time; see the fleet-web report.)
import assert from "node:assert/strict";
import { screenshot, startStack, step } from "./harness.mjs";

const stack = await startStack();
const { url, browser } = stack;
const run = Date.now().toString(36);
const DAY = 86_400_000;

/** Traces per day for each capability. */
const perDay = { summarize: 12, "classify-ticket": 8, "draft-reply": 6, "search-docs": 4 };
const workspaces = ["ws-acme", "ws-globex", "ws-initech", "ws-umbrella", "ws-hooli"];
const providers = ["openai", "anthropic"];

function random(seed) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}
const rnd = random(7);

/** One day's traffic, `daysAgo` back from now: an agent root and one LLM call per trace. */
function day(daysAgo, now, counts) {
  const traces = [];
  const spans = [];
  let n = 0;
  for (const [capability, count] of Object.entries(counts)) {
    for (let i = 0; i < count; i++, n++) {
      const workspace = workspaces[(n + daysAgo) % workspaces.length];
      // ws-umbrella fails a third of the time (flagged over the 5 % target); the rest rarely.
      const failed = rnd() < (workspace === "ws-umbrella" ? 0.34 : 0.02);
      const id = `fl-${run}-${daysAgo}-${n}`;
      // Today's traffic lies in the last 20 hours, older days anywhere in their 24 hours.
      const start = now - daysAgo * DAY - Math.floor(rnd() * (daysAgo === 0 ? 20 : 23) * 3_600_000) - 60_000;
      const duration = 300 + Math.floor(rnd() * 3000);
      const status = failed ? "error" : "ok";
      traces.push({
        id,
        agent: `${capability}-agent`,
        name: `${capability} run`,
        started_at: start,
        ended_at: start + duration,
        status,
        input: { prompt: "x".repeat(100 + Math.floor(rnd() * 2000)) },
        metadata: { capability, workspace_id: workspace },
      });
      spans.push(
        {
          id: `${id}-root`,
          trace_id: id,
          type: "agent",
          name: capability,
          started_at: start,
          ended_at: start + duration,
          status,
        },
        {
          id: `${id}-llm`,
          trace_id: id,
          parent_id: `${id}-root`,
          type: "llm",
          name: "chat",
          started_at: start + 10,
          ended_at: start + duration - 10,
          status,
          model: n % 2 ? "claude-3-5-haiku-20241022" : "gpt-4o-mini",
          provider: providers[n % 2],
          usage: { input_tokens: 500, output_tokens: 120 },
        },
      );
    }
  }
  return { traces, spans };
}

const context = await browser.newContext({ baseURL: url, viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(err));

let apiKey = "";
async function ingest(batch) {
  const res = await fetch(`${url}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(batch),
  });
  assert.equal(res.status, 200, await res.clone().text());
}

/** Runs the minute cron (the fold's sweep and the alert detectors). */
const tick = () => fetch(`${url}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).then((r) => r.text());

/** Waits until the rollups count `min` interactions in the last 24 hours. */
async function folded(min) {
  for (let i = 0; i < 60; i++) {
    await tick();
    const res = await page.request.get("/api/v1/analytics/overview");
    const body = await res.json();
    if (res.ok() && body.kpis.interactions_24h >= min && body.freshness.state === "fresh") return body;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the rollups never counted ${min} interactions in the last 24 hours`);
}

async function shots(name) {
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(250);
    await screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

try {
  await step("signs up and creates an ingest key", page, async () => {
    await page.goto("/");
    const form = page.getByRole("form", { name: "Create your workspace" });
    await form.getByLabel("Workspace name").fill(`Fleet ${run}`);
    await form.getByLabel("Work email").fill(`fleet-${run}@example.com`);
    await form.getByLabel("Password").fill("correct horse battery");
    await form.getByRole("button", { name: "Create workspace" }).click();
    await page.getByTestId("tenant-name").waitFor();
    await page.goto("/settings/api-keys");
    const keyForm = page.getByRole("form", { name: "Create API key" });
    await keyForm.getByLabel("Key name").fill("fleet workload");
    await keyForm.getByRole("button", { name: "Create API key" }).click();
    apiKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    assert.match(apiKey, /^at_\S{20,}$/);
  });

  const now = Date.now();
  await step("ingests 13 days of backdated traffic and folds it", page, async () => {
    for (let d = 13; d >= 1; d--) await ingest(day(d, now, perDay));
    await ingest(day(0, now, perDay));
    await folded(1);
  });

  await step("Overview: KPIs, charts and capabilities", page, async () => {
    await page.goto("/analytics");
    await page.getByTestId("kpi-interactions").waitFor();
    await page.getByTestId("interactions-chart").locator("canvas").waitFor();
    await page.getByTestId("error-rate-chart").locator("canvas").waitFor();
    await page.getByTestId("provider-mix").getByText("openai").waitFor();
    await page.getByTestId("provider-mix").getByText("anthropic").waitFor();
    for (const c of Object.keys(perDay))
      await page.getByTestId("capability-summary").getByRole("link", { name: c }).waitFor();
    await page.getByTestId("freshness").getByText("Updated").waitFor();
    const hint = await page.getByTestId("kpi-error-rate").locator(".kpi-hint").textContent();
    assert.match(hint ?? "", /Failed interactions ÷ all interactions over the last 24 hours/);
    await shots("fleet-overview");
  });

  await step("the error-rate KPI opens the failed traces of the last 24 hours", page, async () => {
    await page.getByTestId("kpi-error-rate").click();
    await page.waitForURL(/\/traces\?.*status=error/);
    assert.match(page.url(), /range=custom/);
    await page.locator(".traces-table tbody tr").first().waitFor();
    await page.goBack();
    await page.getByTestId("kpi-interactions").waitFor();
  });

  await step("the workspaces KPI opens the Workspaces tab for 7 days", page, async () => {
    await page.getByTestId("kpi-workspaces").click();
    await page.waitForURL(/tab=workspace/);
    await page.getByTestId("workspace-table").locator("tbody tr").first().waitFor();
    await page.getByTestId("workspace-heatmap").locator(".heatmap-cell").first().waitFor();
    await page.getByTestId("freshness-gauge").waitFor();
    const flagged = page.getByTestId("workspace-table").locator("tr[data-flagged]");
    await flagged.filter({ hasText: "ws-umbrella" }).waitFor();
    await shots("fleet-workspaces");
    await page.getByLabel("Only inactive 7 d").check();
    await page.waitForURL(/inactive=true/);
    await page.getByText("Every workspace had an interaction in the last 7 days.").waitFor();
  });

  await step("a capability opens the Capability tab filtered to it", page, async () => {
    await page.goto("/analytics");
    await page.getByTestId("capability-summary").getByRole("link", { name: "summarize" }).click();
    await page.waitForURL(/tab=capability&capability=summarize/);
    await page.getByRole("heading", { level: 1, name: "summarize" }).waitFor();
    await page.getByTestId("latency-bands").locator("canvas").waitFor();
    await page.getByTestId("capability-table").locator("tbody tr").first().waitFor();
    await page.getByTestId("scatter").locator("circle").first().waitFor();
    await shots("fleet-capability");
  });

  await step(
    "a day row opens that capability's traces for the day, shown as a removable chip",
    page,
    async () => {
      await page.getByTestId("capability-table").locator("tbody tr").nth(1).click();
      await page.waitForURL(/\/traces\?.*capability=summarize/);
      const chip = page.locator(".filter-chip").filter({ hasText: "summarize" });
      await chip.waitFor();
      await page.locator(".traces-table tbody tr").first().waitFor();
      const agents = await page.locator(".traces-table tbody tr").allTextContents();
      assert.ok(
        agents.every((row) => row.includes("summarize")),
        "only summarize traces are listed",
      );
      await screenshot(page, "fleet-traces-drill");
      await chip.getByRole("button").click();
      await page.waitForURL((u) => !u.search.includes("capability="));
    },
  );

  await step("saves a detector threshold in Settings → Alert channels", page, async () => {
    await page.goto("/settings/alert-channels");
    const spike = page.getByRole("form", { name: "Spike detector" });
    await spike.getByLabel("Factor (× median)").fill("2.5");
    await spike.getByRole("button", { name: "Save" }).click();
    await spike.getByRole("status").getByText("Saved").waitFor();
    await page.reload();
    assert.equal(await spike.getByLabel("Factor (× median)").inputValue(), "2.5");
    await spike.getByText("customized").waitFor();
    await shots("fleet-alert-rules");
  });

  assert.deepEqual(pageErrors, []);
} finally {
  await stack.close();
}
