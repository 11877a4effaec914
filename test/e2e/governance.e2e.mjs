// The Governance pages in a real browser: the overview over a week of seeded spans, a rule written
// in the editor (YAML error shown on its line, dry run, save), a violating span raising a red toast on
// the governance page and on the home page, drill-down, toggling, revisions, deleting, and a viewer
// who sees the rules read-only.
import assert from "node:assert/strict";
import { screenshot, startStack, step } from "./harness.mjs";

const stack = await startStack();
const { url, browser } = stack;
const run = Date.now().toString(36);
const email = `lead-${run}@example.com`;
const password = "correct horse battery";
const RULE = "e2e_delete_limit";
const DAY = 86_400_000;

const ruleSource = (when) => `# Flags bulk deletes from the file tool.
name: ${RULE}
description: Deleting more than five files in one call
target_span_type: tool
when: ${when}
measure: "size(arguments.?files.orValue([]))"
limit: 5
policy_group: data_safety
severity: high
`;
const BROKEN = ruleSource(`"tool_name == 'delete_files'`); // line 5 lacks its closing quote
const FIXED = ruleSource(`"tool_name == 'delete_files'"`);

const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 860 } });
const page = await context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(err));
page.on("console", (m) => {
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
    console.error(`  [browser] ${m.text()}`);
});

async function ingest(apiKey, batch) {
  const res = await fetch(`${url}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(batch),
  });
  assert.equal(res.status, 200, await res.text());
}

async function api(apiKey, path) {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** A week of agent runs: LLM calls of varied cost and file deletes of varied size. */
function history() {
  const traces = [];
  const spans = [];
  for (let day = 6; day >= 0; day--) {
    for (let n = 0; n < 5; n++) {
      const id = `hist-${day}-${n}`;
      const at = Date.now() - day * DAY - (n + 1) * 600_000;
      traces.push({
        id,
        agent: n % 2 ? "support-bot" : "file-janitor",
        name: "Nightly cleanup",
        started_at: at,
      });
      const cost = [0.02, 0.1, 0.42, 0.65, 0.05][(day + n) % 5];
      spans.push({
        id: `${id}-llm`,
        trace_id: id,
        type: "llm",
        name: "plan cleanup",
        started_at: at,
        ended_at: at + 1800,
        status: "ok",
        model: "gpt-4o",
        usage: { input_tokens: 900, output_tokens: 200, cost_usd: cost },
      });
      const files = [2, 3, 4, 9, 1][(day * 2 + n) % 5];
      spans.push({
        id: `${id}-del`,
        trace_id: id,
        parent_id: `${id}-llm`,
        type: "tool",
        name: "delete_files",
        started_at: at + 2000,
        ended_at: at + 2300,
        status: "ok",
        tool: {
          name: "delete_files",
          arguments: { files: Array.from({ length: files }, (_, i) => `/tmp/f${i}`) },
        },
      });
    }
  }
  return { traces, spans };
}

/** One file-tool call deleting seven files: red against the limit-5 rule. */
function violation(tag) {
  const at = Date.now();
  const id = `live-${tag}-${run}`;
  return {
    traceId: id,
    batch: {
      traces: [{ id, agent: "file-janitor", name: "Cleanup", started_at: at }],
      spans: [
        {
          id: `${id}-del`,
          trace_id: id,
          type: "tool",
          name: "delete_files",
          started_at: at,
          ended_at: at + 120,
          status: "ok",
          tool: {
            name: "delete_files",
            arguments: { files: Array.from({ length: 7 }, (_, i) => `/data/${i}`) },
          },
        },
      ],
    },
  };
}

async function waitForEvaluations(apiKey, atLeast) {
  const deadline = Date.now() + 20_000;
  let last = -1;
  while (Date.now() < deadline) {
    const { totals } = await api(apiKey, "/api/v1/evaluations/summary");
    const total = totals.pass + totals.amber + totals.red + totals.error;
    if (total >= atLeast && total === last) return totals;
    last = total;
    await new Promise((r) => setTimeout(r, 700));
  }
  throw new Error(`evaluations did not settle (last total ${last})`);
}

const tile = (p, outcome) => p.getByTestId(`total-${outcome}`).locator(".gov-tile-value");
const count = async (locator) => Number((await locator.textContent()).replace(/\D/g, ""));
const editor = () => page.getByRole("textbox", { name: "Rule source (YAML)" });
const toasts = (p) => p.getByTestId("alert-toast");
const liveFeed = (p) => p.locator('.gov-toasts[data-live="live"]').waitFor({ state: "attached" });

try {
  let apiKey = "";
  await step("signs up and creates an API key", page, async () => {
    await page.goto("/");
    const form = page.getByRole("form", { name: "Create your workspace" });
    await form.getByLabel("Workspace name").fill(`Governance ${run}`);
    await form.getByLabel("Work email").fill(email);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "Create workspace" }).click();
    const keyForm = page.getByRole("form", { name: "Create API key" });
    await keyForm.getByLabel("Key name").fill("governance e2e");
    await keyForm.getByRole("checkbox", { name: /read/ }).check();
    await keyForm.getByRole("button", { name: "Create API key" }).click();
    apiKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    assert.match(apiKey, /^at_/);
  });

  let before = { red: 0 };
  await step("shows a week of evaluations against the default packs", page, async () => {
    const seed = history();
    await ingest(apiKey, seed);
    before = await waitForEvaluations(apiKey, seed.spans.length);
    assert.ok(before.red > 0 && before.amber > 0, JSON.stringify(before));

    await page.getByRole("navigation").getByRole("link", { name: "Governance" }).click();
    await page.getByRole("heading", { name: "Governance", level: 1 }).waitFor();
    // The seeded week raised alerts on the live feed; their toasts leave by themselves.
    await page
      .locator(".gov-toasts")
      .getByRole("article")
      .first()
      .waitFor({ state: "detached", timeout: 15_000 });
    const table = page.getByRole("table", { name: "Outcomes per rule" });
    for (const name of ["no_bulk_delete", "llm_call_cost", "destructive_sql", "pii_email_in_output"]) {
      await table.getByRole("link", { name, exact: true }).waitFor();
    }
    await page.locator(".gov-group").filter({ hasText: "Data safety" }).waitFor();
    assert.equal(await count(tile(page, "red")), before.red);
    await page.locator(".gov-chart canvas").first().waitFor();
    await page.getByTestId("latest-alerts").getByRole("link", { name: "View trace →" }).first().waitFor();
    const href = await page
      .getByTestId("latest-alerts")
      .getByRole("link", { name: "View trace →" })
      .first()
      .getAttribute("href");
    assert.match(href, /^\/traces\/hist-/);
    await screenshot(page, "gov-01-overview");
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, "gov-01-overview-1024");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  await step("filters the rule table by policy group and switches the range", page, async () => {
    await page.locator(".gov-group").filter({ hasText: "Cost" }).first().click();
    await page.getByText("only.").waitFor();
    const table = page.getByRole("table", { name: "Outcomes per rule" });
    assert.equal(await table.getByRole("link", { name: "no_bulk_delete" }).count(), 0);
    await page.getByRole("button", { name: "Show all groups" }).click();
    await page.getByRole("button", { name: "Violations" }).click();
    assert.equal(await page.getByRole("button", { name: "Violations" }).getAttribute("aria-pressed"), "true");
    await page.getByRole("button", { name: "24h" }).click();
    await page.waitForURL(/range=24h/);
    await page.getByRole("button", { name: "7d" }).click();
    await table.getByRole("link", { name: "no_bulk_delete" }).waitFor();
  });

  await step("shows the YAML error on its line in the rule editor", page, async () => {
    await page.getByRole("link", { name: "Manage rules" }).click();
    await page.getByRole("switch", { name: "no_bulk_delete enabled" }).waitFor();
    await screenshot(page, "gov-02-rules");
    await page.getByRole("link", { name: "New rule" }).click();
    await page.getByText("Valid rule.").waitFor(); // the template is valid as it stands
    await editor().fill(BROKEN);
    const inline = page.getByTestId("editor-error-line-5");
    await inline.waitFor();
    assert.match(await inline.textContent(), /Missing closing "quote/);
    await page
      .getByRole("alert")
      .getByRole("button", { name: /^Line 5/ })
      .waitFor();
    assert.equal(await editor().getAttribute("aria-invalid"), "true");
    await screenshot(page, "gov-03-editor-error");
    // A CEL mistake is pointed at too: the line, and the column inside the expression.
    await editor().fill(FIXED.replace("size(arguments.?files.orValue([]))", "usage.totl_tokens"));
    const cel = page.getByTestId("editor-error-line-6");
    await cel.waitFor();
    assert.match(await cel.textContent(), /measure: No such key: totl_tokens/);
  });

  await step("accepts the fixed rule and dry-runs it against recent spans", page, async () => {
    await editor().fill(FIXED);
    await page.getByText("Valid rule.").waitFor();
    assert.equal(await page.getByTestId("editor-error-line-5").count(), 0);
    await page.getByRole("button", { name: "Dry run" }).click();
    const panel = page.getByTestId("dry-run");
    await panel.waitFor();
    // The seeded week holds 7 deletes of 9 files (red) and 7 of 4 (amber).
    assert.equal(await count(panel.getByTestId("dry-run-red").locator("strong")), 7);
    assert.equal(await count(panel.getByTestId("dry-run-amber").locator("strong")), 7);
    const link = panel.getByRole("link", { name: "Trace →" }).first();
    assert.match(await link.getAttribute("href"), /^\/traces\/hist-.*\?span=/);
    await screenshot(page, "gov-04-dry-run");
  });

  await step("saves the rule and opens it", page, async () => {
    await page.getByRole("button", { name: "Create rule" }).click();
    await page.getByRole("heading", { name: RULE, level: 1 }).waitFor();
    await page.getByText("No evaluations of this rule in this range.").waitFor();
    await page.locator(".gov-revisions").getByText("r1").waitFor();
  });

  await step("shows a red toast on the governance page when a span violates the rule", page, async () => {
    await liveFeed(page);
    const v = violation("gov");
    await ingest(apiKey, v.batch);
    const toast = toasts(page).filter({ hasText: RULE });
    await toast.waitFor({ timeout: 10_000 });
    assert.ok((await toast.getAttribute("class")).includes("gov-toast-red"));
    await toast.getByText("delete_files").waitFor();
    assert.equal(
      await toast.getByRole("link", { name: "View trace →" }).getAttribute("href"),
      `/traces/${v.traceId}?span=${v.traceId}-del`,
    );
    await screenshot(page, "gov-05-toast");
  });

  await step("shows the toast on the home page too, and dismisses it", page, async () => {
    await page.getByRole("link", { name: "AuditTrail" }).click();
    await page.getByTestId("tenant-name").waitFor();
    await liveFeed(page);
    const v = violation("home");
    await ingest(apiKey, v.batch);
    const toast = toasts(page)
      .filter({ hasText: RULE })
      .filter({ has: page.locator(`a[href^="/traces/${v.traceId}?"]`) });
    await toast.waitFor({ timeout: 10_000 });
    await screenshot(page, "gov-06-toast-home");
    await toast.getByRole("button", { name: "Dismiss alert" }).click();
    await toast.waitFor({ state: "detached" });
  });

  await step("counts the new reds in the overview after a reload", page, async () => {
    const after = await waitForEvaluations(apiKey, 1);
    // Each violating span is red for the new rule and for the default no_bulk_delete.
    assert.ok(after.red >= before.red + 4, JSON.stringify({ before, after }));
    await page.goto("/governance");
    await page.reload();
    await page.getByRole("table", { name: "Outcomes per rule" }).waitFor();
    assert.equal(await count(tile(page, "red")), after.red);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: RULE }) });
    assert.equal(await count(row.locator("td.num").nth(2)), 2);
    const legendRed = page.locator(".gov-legend-item").filter({ hasText: "Red" }).locator("strong");
    assert.equal(await count(legendRed), after.red);
    await page.getByTestId("latest-alerts").getByText(RULE).first().waitFor();
  });

  await step("drills down from the rule to its evaluations and their traces", page, async () => {
    await page.getByRole("table", { name: "Outcomes per rule" }).getByRole("link", { name: RULE }).click();
    await page.getByRole("heading", { name: RULE, level: 1 }).waitFor();
    const evals = page.getByRole("table", { name: "Evaluations" });
    await evals
      .getByRole("link", { name: /^Trace of span/ })
      .nth(1)
      .waitFor();
    const hrefs = await evals
      .getByRole("link", { name: /^Trace of span/ })
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.deepEqual(hrefs.map((h) => h.split("?")[0]).sort(), [
      `/traces/live-gov-${run}`,
      `/traces/live-home-${run}`,
    ]);
    await page.getByRole("button", { name: /^Pass/ }).click();
    await page.getByText("No pass evaluations of this rule in this range.").waitFor();
    await page.getByRole("button", { name: /^Red/ }).click();
    await evals.getByRole("row").nth(2).waitFor();
    await screenshot(page, "gov-07-rule-detail");
  });

  await step("edits the rule into a second revision with the keyboard shortcuts", page, async () => {
    await page.getByRole("link", { name: "Edit rule" }).click();
    await editor().waitFor();
    await page.getByText("Valid rule.").waitFor();
    await editor().fill(FIXED.replace("limit: 5", "limit: 6"));
    await page.getByText("Valid rule.").waitFor();
    await editor().press("Control+Enter");
    await page.getByTestId("dry-run").waitFor();
    await editor().press("Control+s");
    await page.getByRole("heading", { name: RULE, level: 1 }).waitFor();
    const revisions = page.locator(".gov-revisions > li");
    await revisions.filter({ hasText: "r2" }).filter({ hasText: "current" }).waitFor();
    assert.equal(await revisions.count(), 2);
    await revisions.filter({ hasText: "r2" }).locator("summary").click();
    await revisions.filter({ hasText: "r2" }).getByText("limit: 6").waitFor();
  });

  await step("switches a rule off and on, and deletes one after confirming", page, async () => {
    await page.goto("/governance/rules");
    const toggle = page.getByRole("switch", { name: `${RULE} enabled` });
    await toggle.click();
    await page.waitForFunction(
      (name) =>
        document.querySelector(`[aria-label="${name} enabled"]`)?.getAttribute("aria-checked") === "false",
      RULE,
    );
    await page.reload();
    assert.equal(await toggle.getAttribute("aria-checked"), "false");
    await toggle.click();
    await page.waitForFunction(
      (name) =>
        document.querySelector(`[aria-label="${name} enabled"]`)?.getAttribute("aria-checked") === "true",
      RULE,
    );

    const doomed = (await api(apiKey, "/api/v1/rules")).data.find((r) => r.name === "llm_output_tokens");
    await page.getByRole("button", { name: "Delete llm_output_tokens" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Delete llm_output_tokens" }).click();
    await page.getByRole("button", { name: "Delete llm_output_tokens" }).click(); // the confirmation
    await page.getByRole("link", { name: "llm_output_tokens", exact: true }).waitFor({ state: "detached" });
    const rules = await api(apiKey, "/api/v1/rules");
    assert.ok(!rules.data.some((r) => r.name === "llm_output_tokens"));
    // Its page (and any findings it made) stays reachable from the overview's links.
    await page.goto(`/governance/rules/${doomed.id}`);
    await page.getByRole("heading", { name: "Deleted rule", level: 1 }).waitFor();
  });

  await step("shows a viewer the rules without any edit, toggle or delete control", page, async () => {
    const invitation = await page.evaluate(async () => {
      const me = await (await fetch("/api/v1/auth/me")).json();
      const res = await fetch("/api/v1/users/invitations", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": me.csrf_token },
        body: JSON.stringify({ email: `viewer-${Date.now()}@example.com`, role: "viewer" }),
      });
      return { status: res.status, body: await res.json() };
    });
    assert.equal(invitation.status, 201, JSON.stringify(invitation.body));
    const token = new URL(invitation.body.accept_url).searchParams.get("token");

    const viewerContext = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 860 } });
    const accepted = await viewerContext.request.post("/api/v1/auth/accept-invitation", {
      data: { token, password },
    });
    assert.equal(accepted.status(), 201, await accepted.text());
    const viewer = await viewerContext.newPage();
    viewer.on("pageerror", (err) => pageErrors.push(err));

    await viewer.goto("/governance/rules");
    await viewer.getByRole("link", { name: RULE }).waitFor();
    await viewer.getByRole("note").filter({ hasText: "read-only" }).waitFor();
    assert.equal(await viewer.getByRole("switch").count(), 0);
    assert.equal(await viewer.getByRole("link", { name: "New rule" }).count(), 0);
    assert.equal(await viewer.getByRole("link", { name: "Edit" }).count(), 0);
    assert.equal(await viewer.getByRole("button", { name: /^Delete/ }).count(), 0);
    await screenshot(viewer, "gov-08-viewer-rules");

    await viewer.getByRole("link", { name: RULE }).click();
    await viewer.getByRole("heading", { name: RULE, level: 1 }).waitFor();
    assert.equal(await viewer.getByRole("link", { name: "Edit rule" }).count(), 0);
    assert.equal(await viewer.getByRole("switch").count(), 0);
    assert.equal(await viewer.getByRole("link", { name: "Restore in the editor" }).count(), 0);
    await viewer.goto("/governance/rules/new");
    await viewer.getByRole("heading", { name: "Only owners and admins edit rules" }).waitFor();
    assert.equal(await viewer.getByRole("textbox").count(), 0);
    await viewerContext.close();
  });

  await step("raises no uncaught errors in the pages", page, async () => {
    assert.deepEqual(pageErrors.map(String), []);
  });
} finally {
  await stack.close();
}
