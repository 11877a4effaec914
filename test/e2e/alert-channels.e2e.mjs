// Alert channels in a real browser: an owner adds a signed webhook channel pointed at a local
// receiver, copies its secret (shown once), sends a test and sees it delivered, adds a PagerDuty
// channel (the form asks for an integration key), and a failing one shows its last error.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { screenshot, startStack, step } from "./harness.mjs";

const stack = await startStack();
const { url, browser } = stack;
const run = Date.now().toString(36);

const received = [];
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    received.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    const failing = req.url?.startsWith("/broken");
    res.writeHead(failing ? 404 : 200, { "content-type": "text/plain" });
    res.end(failing ? "no_service" : "ok");
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const sinkUrl = `http://127.0.0.1:${receiver.address().port}`;

const context = await browser.newContext({ baseURL: url, viewport: { width: 1360, height: 900 } });
const page = await context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(err));

const channelCard = (name) => page.getByTestId("alert-channel").filter({ hasText: name });
const form = () => page.getByRole("form", { name: "Add alert channel" });

try {
  await step("signs up", page, async () => {
    await page.goto("/");
    const signup = page.getByRole("form", { name: "Create your workspace" });
    await signup.getByLabel("Workspace name").fill(`Alerts ${run}`);
    await signup.getByLabel("Work email").fill(`owner-${run}@example.com`);
    await signup.getByLabel("Password").fill("correct horse battery");
    await signup.getByRole("button", { name: "Create workspace" }).click();
    await page.getByTestId("tenant-name").waitFor();
  });

  let secret = "";
  await step("adds a webhook channel and shows its signing secret once", page, async () => {
    await page.goto("/settings/alert-channels");
    await form().getByLabel("Kind").selectOption("webhook");
    await form().getByLabel("Name").fill("Ops bot");
    await form().getByLabel("URL").fill(`${sinkUrl}/hook`);
    await form().getByRole("button", { name: "Add channel" }).click();
    secret = (await page.getByTestId("alert-channel-secret").textContent()) ?? "";
    assert.match(secret, /^whsec_/);
    await channelCard("Ops bot").getByText("Nothing sent yet").waitFor();
    await channelCard("Ops bot").getByText("Warning and above").waitFor();
    await screenshot(page, "settings-alert-channels");
    await page.getByRole("button", { name: "Done" }).click();
    assert.equal(await page.getByTestId("alert-channel-secret").count(), 0, "the secret is shown once");
  });

  await step("sends a signed test notice and shows it delivered", page, async () => {
    await channelCard("Ops bot").getByRole("button", { name: "Send test" }).click();
    await channelCard("Ops bot").getByRole("status").filter({ hasText: "Test delivered" }).waitFor();
    await channelCard("Ops bot").getByText("Delivering").waitFor();
    const [req] = received;
    assert.ok(req, "the receiver got the test");
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(req.headers["x-audittrail-signature"]) ?? [];
    assert.equal(createHmac("sha256", secret).update(`${t}.${req.body}`).digest("hex"), v1);
    const body = JSON.parse(req.body);
    assert.equal(body.type, "alert.trigger");
    assert.equal(body.dashboard_url, `${url}/alerts`);
  });

  await step("asks PagerDuty channels for an integration key", page, async () => {
    assert.equal(await form().getByLabel("Kind").inputValue(), "slack", "the form starts over");
    assert.equal(await form().getByLabel("Send").inputValue(), "warning");
    await form().getByLabel("Kind").selectOption("pagerduty");
    await form().getByLabel("Send").selectOption("critical");
    await form().getByLabel("Name").fill("On-call");
    await form().getByLabel("Integration key").fill("R0123456789abcdef0123456789abcde");
    await form().getByLabel("URL").fill(`${sinkUrl}/pagerduty`);
    await form().getByRole("button", { name: "Add channel" }).click();
    await channelCard("On-call").getByText("Critical only").waitFor();
    assert.equal(
      await channelCard("On-call").getByText("R0123456789abcdef").count(),
      0,
      "the key is never shown",
    );
  });

  await step("shows the last error of a failing channel", page, async () => {
    await form().getByLabel("Kind").selectOption("slack");
    await form().getByLabel("Name").fill("Old Slack");
    await form().getByLabel("URL").fill(`${sinkUrl}/broken`);
    await form().getByRole("button", { name: "Add channel" }).click();
    await channelCard("Old Slack").getByRole("button", { name: "Send test" }).click();
    await channelCard("Old Slack").getByRole("status").filter({ hasText: "Test failed" }).waitFor();
    await channelCard("Old Slack").getByText("HTTP 404: no_service").first().waitFor();
    await channelCard("Old Slack").getByRole("button", { name: "Deliveries" }).click();
    await channelCard("Old Slack").getByText("No deliveries yet.").waitFor();
    await screenshot(page, "settings-alert-channels-failing");
  });

  await step("raises no uncaught errors in the page", page, async () => {
    assert.deepEqual(pageErrors.map(String), []);
  });
} finally {
  receiver.close();
  await stack.close();
}
