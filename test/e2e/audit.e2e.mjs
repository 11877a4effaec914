// The audit log in a real browser: an owner makes an `audit:write` key, a service records events
// (among them an assistant's refund with a card number in its prompt), and the owner filters the
// chat-originated ones, reads the refund's before/after diff and masked prompt, verifies it against
// the signed checkpoint, follows its conversation, exports, sees a high-risk event arrive live, and
// changes audit settings (raising retention applies; lowering it waits for a second admin, who
// approves it).
import assert from "node:assert/strict";
import { screenshot, startStack, step } from "./harness.mjs";

const stack = await startStack();
const { url, browser } = stack;
const run = Date.now().toString(36);
const email = `owner-${run}@example.com`;
const adminEmail = `admin-${run}@example.com`;
const password = "correct horse battery";
const conversation = `conv_${run}`;
const CARD = "4111 1111 1111 1111";

const context = await browser.newContext({ baseURL: url, viewport: { width: 1360, height: 900 } });
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
const page = await context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(err));
page.on("console", (m) => {
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
    console.error(`  [browser] ${m.text()}`);
});

const minutesAgo = (n) => new Date(Date.now() - n * 60_000).toISOString();

/** What a support back office would record: people, an assistant acting for them, a delete. */
function events() {
  return [
    {
      event_type: "order.lookup",
      crud: "r",
      occurred_at: minutesAgo(9),
      actor: { type: "ai_assistant", id: "ai_assistant:u_grace", display: "Support assistant" },
      on_behalf_of: "grace@example.com",
      channel: "chat",
      target: [{ type: "order", id: "ord_1042", name: "Order #1042" }],
      ai: {
        conversation_id: conversation,
        message_id: "msg_1",
        prompt: "Where is order 1042?",
        tool_name: "lookup_order",
        tool_args: { order_id: "ord_1042" },
        model: "gpt-4o",
      },
    },
    {
      event_type: "refund.initiate",
      crud: "c",
      occurred_at: minutesAgo(8),
      actor: { type: "ai_assistant", id: "ai_assistant:u_grace", display: "Support assistant" },
      on_behalf_of: "grace@example.com",
      channel: "chat",
      target: [{ type: "order", id: "ord_1042", name: "Order #1042" }],
      changes: {
        before: { status: "paid", refund: null, amount: 125000, notes: ["vip"] },
        after: {
          status: "refunding",
          refund: { amount: 125000, currency: "HUF" },
          amount: 125000,
          refund_reason: "duplicate charge",
        },
      },
      reason: "Customer was charged twice",
      metadata: { amount: 125000, currency: "HUF" },
      ai: {
        conversation_id: conversation,
        message_id: "msg_2",
        prompt: `Refund order 1042 in full, the customer paid with card ${CARD} twice.`,
        tool_name: "issue_refund",
        tool_args: { order_id: "ord_1042", amount: 125000, card_number: "4111111111111111" },
        model: "gpt-4o",
      },
      correlation: { trace_id: `trace-${run}` },
    },
    {
      event_type: "user.change_role",
      crud: "u",
      occurred_at: minutesAgo(6),
      actor: { type: "user", id: "u_ada", display: "ada@example.com" },
      channel: "manual",
      target: [{ type: "user", id: "u_bob", name: "bob@example.com" }],
      changes: { before: { role: "member" }, after: { role: "admin" } },
    },
    {
      event_type: "payout.send",
      crud: "c",
      occurred_at: minutesAgo(5),
      actor: { type: "api_key", id: "key_ops", display: "ops batch" },
      outcome: "failure",
      error: { code: "insufficient_funds", message: "Balance too low for payout" },
      target: [{ type: "payout", id: "po_77" }],
      metadata: { amount: 9000, currency: "EUR" },
    },
  ];
}

async function record(apiKey, body, expected = 201) {
  const res = await fetch(`${url}/api/v1/audit/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, expected, await res.clone().text());
  return res.json();
}

const auditRows = () => page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
const drawer = () => page.getByTestId("audit-drawer");

/** Waits until the table lists exactly these event types, in this order (lists swap in as a whole). */
async function expectRows(types) {
  const deadline = Date.now() + 10_000;
  let seen = [];
  while (Date.now() < deadline) {
    seen = await auditRows().locator(".audit-open").allTextContents();
    if (JSON.stringify(seen) === JSON.stringify(types)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(seen, types);
}

try {
  await step("signs up", page, async () => {
    await page.goto("/");
    const form = page.getByRole("form", { name: "Create your workspace" });
    await form.getByLabel("Workspace name").fill(`Audit ${run}`);
    await form.getByLabel("Work email").fill(email);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "Create workspace" }).click();
    await page.getByTestId("tenant-name").waitFor();
  });

  await step("explains how to record events while the log holds only in-app changes", page, async () => {
    await page.goto("/audit");
    await auditRows().filter({ hasText: "tenant.create" }).waitFor();
    const howto = page.locator("details.audit-howto");
    assert.equal(await howto.getAttribute("open"), "");
    await howto.getByText(`${url}/api/v1/audit/events`).waitFor();
    await screenshot(page, "audit-first-run");
  });

  let apiKey = "";
  await step("creates an audit:write key in Settings → API keys", page, async () => {
    await page.goto("/settings/api-keys");
    const form = page.getByRole("form", { name: "Create API key" });
    await form.getByLabel("Key name").fill("back office");
    await form.getByRole("checkbox", { name: /ingest/ }).uncheck();
    await form.getByRole("checkbox", { name: /audit:write/ }).check();
    await form.getByRole("button", { name: "Create API key" }).click();
    apiKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    assert.match(apiKey, /^at_\S{20,}$/);
  });

  await step("records events with the key, the card number masked before storage", page, async () => {
    const result = await record(apiKey, { events: events() });
    assert.equal(result.data.length, 4);
    const res = await fetch(`${url}/api/v1/audit/events`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(res.status, 403, "an audit:write key cannot read the log");
  });

  await step("lists manual and chat-originated events together", page, async () => {
    await page.getByRole("banner").getByRole("link", { name: "Audit", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    await auditRows().filter({ hasText: "refund.initiate" }).waitFor();
    await auditRows().filter({ hasText: "user.change_role" }).waitFor();
    await auditRows().filter({ hasText: "payout.send" }).getByText("Failure").waitFor();
    const assistantRow = auditRows().filter({ hasText: "order.lookup" });
    await assistantRow.getByText("Assistant", { exact: true }).waitFor();
    await assistantRow.getByText("grace@example.com").waitFor();
    await screenshot(page, "audit-list");
  });

  await step("filters chat-originated events, kept in the URL", page, async () => {
    await page.getByRole("button", { name: "Chat-originated only" }).click();
    await page.waitForURL(/actor_type=ai_assistant/);
    await expectRows(["refund.initiate", "order.lookup"]);
  });

  await step("opens the refund: before/after diff and the masked prompt", page, async () => {
    await auditRows().filter({ hasText: "refund.initiate" }).locator(".audit-open").click();
    await page.waitForURL(/event=/);
    const diff = drawer().getByTestId("changes-diff");
    await diff.waitFor();
    const status = diff.locator("tr.audit-diff-changed").filter({ hasText: "status" });
    await status.getByText("paid", { exact: true }).waitFor();
    await status.getByText("refunding", { exact: true }).waitFor();
    await diff
      .locator("tr.audit-diff-changed")
      .filter({ hasText: "refund" })
      .getByText(/"currency":"HUF"/)
      .waitFor();
    await diff.locator("tr.audit-diff-added").filter({ hasText: "refund_reason" }).waitFor();
    await diff.locator("tr.audit-diff-removed").filter({ hasText: "notes[0]" }).waitFor();
    const prompt = (await drawer().getByTestId("audit-prompt").textContent()) ?? "";
    assert.match(prompt, /\[MASKED:card\]/);
    assert.ok(!prompt.includes(CARD) && !prompt.includes("4111"), prompt);
    const args = (await drawer().getByTestId("audit-tool-args").textContent()) ?? "";
    assert.ok(!args.includes("4111111111111111"), args);
    await drawer().getByText("issue_refund").first().waitFor();
    await drawer()
      .getByRole("link", { name: new RegExp(`trace-${run}`) })
      .waitFor();
    await drawer().getByRole("link", { name: "Open conversation" }).waitFor();
    await screenshot(page, "audit-event-detail");
  });

  await step("verifies the event in the browser against the signed checkpoint", page, async () => {
    // The checkpoint is signed within seconds of the append; retry like a reader would.
    for (let attempt = 0; attempt < 20; attempt++) {
      await drawer().getByRole("button", { name: "Verify this event" }).click();
      const result = drawer().getByTestId("verify-result");
      await result.waitFor();
      const text = (await result.textContent()) ?? "";
      if (text.includes("Verified")) break;
      if (attempt === 19) assert.fail(`not verified: ${text}`);
      await page.waitForTimeout(1000);
    }
    await drawer().getByTestId("verify-result").scrollIntoViewIfNeeded();
    await screenshot(page, "audit-event-verified");
  });

  await step("closes the panel with Escape and walks rows with the keyboard", page, async () => {
    await page.keyboard.press("Escape");
    await drawer().waitFor({ state: "detached" });
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    assert.equal(focused, "refund.initiate");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "order.lookup");
    await page.keyboard.press("Enter");
    await drawer().getByRole("heading", { name: "order.lookup" }).waitFor();
    await page.keyboard.press("Escape");
  });

  await step("follows the conversation: its events in order", page, async () => {
    await page.goto("/audit");
    await auditRows().filter({ hasText: "refund.initiate" }).locator(".audit-open").click();
    await drawer().getByRole("link", { name: "Open conversation" }).click();
    await page.waitForURL(new RegExp(`conversation_id=${conversation}`));
    await page.getByText("The assistant's conversation page isn't built yet").waitFor();
    await expectRows(["order.lookup", "refund.initiate"]);
    await screenshot(page, "audit-conversation");
  });

  await step("an advanced field condition narrows to big amounts", page, async () => {
    await page.goto("/audit");
    await page.getByRole("button", { name: "More filters" }).click();
    const input = page.getByLabel("Field condition (advanced)");
    await input.fill("metadata.amount>=50000");
    await input.press("Enter");
    await page.waitForURL(/field=metadata.amount/);
    await expectRows(["refund.initiate"]);
    await screenshot(page, "audit-filters");
    await page.getByRole("button", { name: "Clear all filters" }).first().click();
    await auditRows().filter({ hasText: "payout.send" }).waitFor();
  });

  await step("exports the filtered log and links its manifest", page, async () => {
    await page.getByRole("button", { name: "Export" }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: /^CSV/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const manifest = page.getByRole("link", { name: "Manifest" });
    await manifest.waitFor();
    const href = await manifest.getAttribute("href");
    const body = await page.evaluate(async (h) => (await fetch(h)).json(), href);
    assert.equal(body.format, "csv");
  });

  await step("searches the archive with the same filters", page, async () => {
    await page.goto("/audit");
    await page.getByRole("group", { name: "Search in" }).getByRole("button", { name: "Archive" }).click();
    await page.waitForURL(/source=archive/);
    await page.getByTestId("archive-empty").getByText("Nothing is archived yet").waitFor();
    await page.getByRole("group", { name: "Search in" }).getByRole("button", { name: "Log" }).click();
    await auditRows().filter({ hasText: "refund.initiate" }).waitFor();
  });

  await step("a high-risk event arrives live: toast and 'new events' banner", page, async () => {
    await page.goto("/audit");
    await auditRows().first().waitFor();
    await page.getByTestId("integrity-strip").waitFor();
    await page.waitForTimeout(500);
    await record(apiKey, {
      event_type: "invoice.delete",
      crud: "d",
      actor: { type: "ai_assistant", id: "ai_assistant:u_grace", display: "Support assistant" },
      on_behalf_of: "grace@example.com",
      channel: "chat",
      target: [{ type: "invoice", id: "inv_9", name: "Invoice 9" }],
      ai: { conversation_id: conversation, tool_name: "delete_invoice", prompt: "Delete invoice 9" },
    });
    const toast = page.getByTestId("audit-toast").filter({ hasText: "invoice.delete" });
    await toast.waitFor();
    const banner = page.getByRole("button", { name: /1 new event — show/ });
    await banner.waitFor();
    await screenshot(page, "audit-live");
    await banner.click();
    await auditRows().first().filter({ hasText: "invoice.delete" }).waitFor();
    await auditRows().first().getByText("high").waitFor();
    // In-app navigation keeps the layout, so the toast is still there on another page.
    await page.getByRole("banner").getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Members" }).waitFor();
    await toast.getByRole("link", { name: "Open in the audit log →" }).click();
    await drawer().getByRole("heading", { name: "invoice.delete" }).waitFor();
    await drawer().getByText("matched *.delete").waitFor();
  });

  await step("raises retention at once; lowering it waits for a second admin", page, async () => {
    await page.goto("/settings/audit");
    await page
      .getByRole("table", { name: "Archived days" })
      .or(page.getByText("Nothing is archived yet"))
      .waitFor();
    const retention = page.getByRole("form", { name: "Audit retention" });
    const days = retention.getByLabel("Keep events for");
    assert.equal(await days.inputValue(), "365");
    await days.fill("100");
    await retention.getByText("Between 180 and 3650 whole days.").waitFor();
    assert.ok(await retention.getByRole("button", { name: "Save" }).isDisabled());
    await days.fill("400");
    await retention.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").first().waitFor();
    await days.fill("200");
    await retention.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("approval-pending").getByText("Waiting for another admin.").waitFor();
    await screenshot(page, "settings-audit");
  });

  await step("shows the server's reason for a slow masking pattern inline", page, async () => {
    await page.getByRole("button", { name: "Add pattern" }).click();
    const row = page.getByTestId("masking-row").last();
    await row.getByLabel("Name").fill("greedy");
    await row.getByLabel("Regular expression").fill("(a+)+$");
    await page.getByRole("button", { name: "Save masking patterns" }).click();
    await row.getByTestId("pattern-error").waitFor();
    await row.getByLabel("Regular expression").fill("EMP-\\d{6}");
    await page.getByRole("button", { name: "Save masking patterns" }).click();
    await page.getByText("Policy builtin-1+tenant:").waitFor();
  });

  await step("the requester sees their own request waiting, with cancel", page, async () => {
    await page
      .getByRole("navigation", { name: "Settings sections" })
      .getByRole("link", { name: "Approvals" })
      .click();
    const mine = page.getByTestId("approval").filter({ hasText: "audit.retention.lower" });
    await mine.getByText("Waiting for another admin").waitFor();
    await mine.getByRole("button", { name: "Cancel request" }).waitFor();
    assert.equal(await mine.getByRole("button", { name: "Approve" }).count(), 0);
    await screenshot(page, "settings-approvals");
  });

  const adminContext = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
  const admin = await adminContext.newPage();
  admin.on("pageerror", (err) => pageErrors.push(err));
  await step("a second admin approves, and retention changes", admin, async () => {
    const acceptUrl = await page.evaluate(async (who) => {
      const me = await (await fetch("/api/v1/auth/me")).json();
      const res = await fetch("/api/v1/users/invitations", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": me.csrf_token },
        body: JSON.stringify({ email: who, role: "admin" }),
      });
      return (await res.json()).accept_url;
    }, adminEmail);
    await admin.goto(acceptUrl);
    await admin.getByLabel("Password").fill(password);
    await admin.getByRole("button", { name: "Set password and sign in" }).click();
    await admin.getByTestId("tenant-name").waitFor();
    await admin.goto("/settings/approvals");
    const request = admin.getByTestId("approval").filter({ hasText: "audit.retention.lower" });
    await request.getByRole("button", { name: "Approve" }).click();
    await request.waitFor({ state: "detached" });
    await admin.goto("/settings/audit");
    assert.equal(await admin.getByLabel("Keep events for").inputValue(), "200");
    // The admin now asks to lower it further; the owner will refuse.
    await admin.getByLabel("Keep events for").fill("190");
    await admin.getByRole("form", { name: "Audit retention" }).getByRole("button", { name: "Save" }).click();
    await admin.getByTestId("approval-pending").waitFor();
    await adminContext.close();
  });

  await step("the owner rejects the admin's request with a reason", page, async () => {
    await page.goto("/settings/approvals");
    const request = page.getByTestId("approval").filter({ hasText: "from 200 to 190 days" });
    await request.getByRole("button", { name: "Reject" }).click();
    await request.getByPlaceholder("Reason (optional)").fill("Keep 200 days for the SOC 2 window");
    await request.getByRole("button", { name: "Confirm reject" }).click();
    await request.waitFor({ state: "detached" });
    await page.getByRole("group", { name: "Which requests" }).getByRole("button", { name: "All" }).click();
    const decided = page.getByTestId("approval").filter({ hasText: "from 200 to 190 days" });
    await decided.getByText("Rejected", { exact: true }).waitFor();
    await screenshot(page, "settings-approvals-all");
    // The request keeps the requester's reason; the refusal's reason belongs on its audit event.
    await page.goto("/audit?event_type=approval.reject");
    await auditRows().first().locator(".audit-open").click();
    await drawer().getByRole("heading", { name: "approval.reject" }).waitFor();
    await drawer().getByText("Keep 200 days for the SOC 2 window", { exact: true }).waitFor();
  });

  await step("SIEM: adds an endpoint, shows its secret once", page, async () => {
    await page.goto("/settings/siem");
    const form = page.getByRole("form", { name: "Add SIEM endpoint" });
    await form.getByLabel("Name").fill("Splunk");
    await form.getByLabel("URL").fill("https://siem.example.com/ingest/audittrail");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("siem-secret").textContent()) ?? "";
    assert.match(secret, /^whsec_/);
    const endpoint = page.getByTestId("siem-endpoint").filter({ hasText: "Splunk" });
    await endpoint.waitFor();
    await screenshot(page, "settings-siem");
    await page.getByRole("button", { name: "Done" }).click();
    assert.equal(await page.getByTestId("siem-secret").count(), 0, "the secret is shown once");
    await endpoint.getByRole("switch", { name: "Deliver to Splunk" }).click();
    await endpoint.getByText("Paused").waitFor();
    await endpoint.getByRole("button", { name: "Send test event" }).click();
    await endpoint
      .getByRole("status")
      .filter({ hasText: /Test (delivered|failed)/ })
      .waitFor();
    await screenshot(page, "settings-siem-tested");
  });

  await step("the settings change is itself in the audit log", page, async () => {
    await page.goto("/audit?event_type=audit.*");
    await auditRows().filter({ hasText: "audit.settings.update" }).first().waitFor();
    await page.emulateMedia({ colorScheme: "dark" });
    await auditRows().filter({ hasText: "audit.settings.update" }).first().locator(".audit-open").click();
    await drawer().getByTestId("changes-diff").waitFor();
    await page.emulateMedia({ colorScheme: "light" });
    await screenshot(page, "audit-settings-event");
  });

  await step("is usable on a narrow screen", page, async () => {
    await page.setViewportSize({ width: 420, height: 860 });
    await page.goto("/audit");
    await auditRows().first().waitFor();
    await screenshot(page, "audit-narrow");
    await auditRows().filter({ hasText: "refund.initiate" }).locator(".audit-open").click();
    await drawer().getByTestId("changes-diff").waitFor();
    await screenshot(page, "audit-narrow-detail");
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  await step("raises no uncaught errors in the page", page, async () => {
    assert.deepEqual(pageErrors.map(String), []);
  });
} finally {
  await stack.close();
}
