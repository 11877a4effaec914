// The Foundation flow in a real browser: sign up, create a key, ingest with it, read it back, the API
// reference, revoking, signing out and in, and joining through an invitation.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { screenshot, startStack, step } from "./harness.mjs";

const stack = await startStack();
const { url, browser } = stack;
const run = Date.now().toString(36);
const tenantName = `Acme AI ${run}`;
const email = `ada-${run}@example.com`;
const password = "correct horse battery";
const keyName = "ci agents";

const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
const page = await context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(err));

const signUpForm = page.getByRole("form", { name: "Create your workspace" });
const logInForm = page.getByRole("form", { name: "Log in" });
const keyRow = (name) => page.getByRole("row").filter({ hasText: name });

/** Runs the page's curl snippet as shown (curl errors on HTTP failures); returns the response JSON. */
function runCurlSnippet(code) {
  const res = spawnSync("sh", ["-c", `${code} --silent --show-error --fail-with-body`], { encoding: "utf8" });
  assert.equal(res.status, 0, `curl snippet failed: ${res.stderr}${res.stdout}`);
  return JSON.parse(res.stdout);
}

/** Runs the page's OpenTelemetry JS snippet as shown: it sends one whole run and flushes it. */
async function runNodeSnippet(code) {
  const resolved = code.replace(
    /from "(@opentelemetry\/[\w-]+)"/g,
    (_, pkg) => `from "${import.meta.resolve(pkg)}"`,
  );
  await import(`data:text/javascript,${encodeURIComponent(resolved)}`);
}

async function readTrace(apiKey, id) {
  const res = await fetch(`${url}/api/v1/traces/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** What the first-run snippets promise: a finished, named run with an agent, LLM and tool span. */
function assertCompleteSample(detail, label) {
  const { trace, spans, totals } = detail;
  const what = `${label}: ${JSON.stringify(detail)}`;
  assert.equal(trace.name, "Where is my order?", what);
  assert.notEqual(trace.ended_at, null, what);
  assert.equal(trace.agent, "support-bot", what);
  assert.deepEqual([...new Set(spans.map((s) => s.type))].sort(), ["agent", "llm", "tool"], what);
  const llm = spans.find((s) => s.type === "llm");
  assert.equal(llm.model, "gpt-4o", what);
  assert.equal(llm.provider, "openai", what);
  assert.ok(spans.find((s) => s.type === "tool").tool?.name === "lookup_order", what);
  assert.ok(
    spans.every((s) => s.ended_at !== null),
    what,
  );
  assert.ok(totals.input_tokens > 0 && totals.output_tokens > 0 && totals.cost_usd > 0, what);
}

function ingest(apiKey, batch) {
  return fetch(`${url}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(batch),
  });
}

try {
  await step("shows the sign-up and log-in forms when signed out", page, async () => {
    await page.goto("/");
    await signUpForm.waitFor();
    await logInForm.waitFor();
    await screenshot(page, "01-signed-out");
  });

  await step("shows the server's field error for a short password", page, async () => {
    await signUpForm.getByLabel("Workspace name").fill(tenantName);
    await signUpForm.getByLabel("Work email").fill(email);
    await signUpForm.getByLabel("Password").fill("short");
    await signUpForm.getByRole("button", { name: "Create workspace" }).click();
    await signUpForm.getByText("must be at least 10 characters").waitFor();
    assert.equal(await signUpForm.getByLabel("Password").getAttribute("aria-invalid"), "true");
    await signUpForm.getByRole("alert").waitFor();
    await screenshot(page, "02-sign-up-error");
  });

  await step("signs up through the form and shows the tenant", page, async () => {
    await signUpForm.getByLabel("Password").fill(password);
    await signUpForm.getByRole("button", { name: "Create workspace" }).click();
    const heading = page.getByTestId("tenant-name");
    await heading.waitFor();
    assert.equal(await heading.textContent(), tenantName);
    await page.getByText("No API keys yet.").waitFor();
    await page.getByText(email).first().waitFor();
  });

  let apiKey = "";
  await step("creates an API key and shows it once, filled into the snippets", page, async () => {
    const form = page.getByRole("form", { name: "Create API key" });
    await form.getByLabel("Key name").fill(keyName);
    await form.getByRole("checkbox", { name: /read/ }).check();
    await form.getByRole("button", { name: "Create API key" }).click();
    apiKey = (await page.getByTestId("new-api-key").textContent()) ?? "";
    assert.match(apiKey, /^at_\S{20,}$/);
    await keyRow(keyName)
      .getByText(`${apiKey.slice(0, 10)}…`)
      .waitFor();
    assert.equal(await form.getByLabel("Key name").inputValue(), "", "the form resets after creating");

    const snippet = page.getByTestId("snippet");
    const curl = await snippet.textContent();
    assert.ok(curl.includes(`Authorization: Bearer ${apiKey}`), curl);
    assert.ok(curl.includes(`${url}/api/v1/traces/ingest`), curl);
    assert.deepEqual(runCurlSnippet(curl).accepted, { traces: 1, spans: 4 });

    await page.getByRole("tab", { name: "Node.js (OpenTelemetry)" }).click();
    const node = await snippet.textContent();
    assert.ok(node.includes(`url: "${url}/v1/traces"`), node);
    await runNodeSnippet(node);

    await page.getByRole("tab", { name: "Python (OpenTelemetry)" }).click();
    const python = await snippet.textContent();
    assert.ok(python.includes(`endpoint="${url}/v1/traces"`), python);
    assert.ok(python.includes(`headers={"Authorization": "Bearer ${apiKey}"}`), python);
    for (const attribute of ["gen_ai.usage.input_tokens", "gen_ai.usage.cost", "gen_ai.tool.name"]) {
      assert.ok(python.includes(attribute) && node.includes(attribute), attribute);
    }
    await page.getByRole("tab", { name: "curl" }).click();

    await page.getByRole("button", { name: "Copy key" }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), apiKey);
    await screenshot(page, "03-new-key");
  });

  const traceId = `e2e-trace-${run}`;
  await step("ingests a native batch with the key and reads it back", page, async () => {
    const started = Date.now();
    const res = await ingest(apiKey, {
      traces: [{ id: traceId, agent: "e2e-agent", name: "End-to-end run", started_at: started }],
      spans: [
        {
          id: `e2e-span-${run}`,
          trace_id: traceId,
          type: "llm",
          name: "chat",
          started_at: started,
          ended_at: started + 1200,
          status: "ok",
          model: "gpt-4o",
          usage: { input_tokens: 12, output_tokens: 3 },
        },
      ],
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual((await res.json()).accepted, { traces: 1, spans: 1 });

    const list = await fetch(`${url}/api/v1/traces`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(list.status, 200, await list.clone().text());
    const { data } = await list.json();
    const agentOf = (id) => data.find((t) => t.id === id)?.agent;
    assert.equal(agentOf(traceId), "e2e-agent", JSON.stringify(data));
    assert.equal(agentOf("trace-001"), "support-bot", "sent by the curl snippet");
    assertCompleteSample(await readTrace(apiKey, "trace-001"), "curl snippet");
    const otlp = data.find((t) => /^[0-9a-f]{32}$/.test(t.id) && t.agent === "support-bot");
    assert.ok(otlp, "sent by the OpenTelemetry snippet");
    assertCompleteSample(await readTrace(apiKey, otlp.id), "OpenTelemetry snippet");

    // The first-run guide noticed the first trace live, without a reload, and the key's row says
    // it has been used.
    const arrived = page.getByRole("status").filter({ hasText: "Trace received" });
    await arrived.waitFor();
    await keyRow(keyName).locator("time").nth(1).waitFor();
    assert.equal(await keyRow(keyName).getByText("Never").count(), 0);
    await screenshot(page, "03b-first-trace");

    // The sample trace opens as a finished run with a name, tokens and cost.
    const href = await arrived.getByRole("link", { name: "Open it" }).getAttribute("href");
    const detail = await context.newPage();
    await detail.goto(href);
    const header = detail.locator(".trace-header");
    await header.getByRole("heading", { name: "Where is my order?" }).waitFor();
    const stat = (label) => header.locator(".stat").filter({ has: detail.locator(`dt:text-is("${label}")`) });
    assert.notEqual((await stat("Duration").locator("dd").textContent()).trim(), "Running…");
    assert.match(await stat("Tokens in / out").locator("dd").textContent(), /^[1-9][\d,]* \/ [1-9]/);
    assert.match(await stat("Cost").locator("dd").textContent(), /[1-9]/);
    await screenshot(detail, "03c-first-trace-detail");
    await detail.close();
  });

  await step("renders the API reference, whose console sends the CSRF token", page, async () => {
    const docs = await context.newPage();
    await docs.goto("/api/docs");
    await docs.locator(".swagger-ui .info .title").filter({ hasText: "AuditTrail API" }).waitFor();
    await screenshot(docs, "04-api-docs");

    // "Try it out" on POST /api/v1/api-keys: a cookie-authenticated mutation, so it only succeeds
    // when init.js adds the X-CSRF-Token header.
    const create = docs.locator(".opblock-post", {
      has: docs.locator('.opblock-summary-path[data-path="/api/v1/api-keys"]'),
    });
    await create.locator(".opblock-summary").click();
    await create.getByRole("button", { name: "Try it out" }).click();
    await create
      .locator("textarea.body-param__text")
      .fill(JSON.stringify({ name: "from the API reference", scopes: ["read"] }));
    await create.getByRole("button", { name: "Execute" }).click();
    const status = create.locator(".live-responses-table tr.response .response-col_status").first();
    await status.waitFor();
    assert.equal((await status.textContent()).trim(), "201");
    await docs.close();
  });

  await step("shows only the key's prefix after a reload", page, async () => {
    await page.reload();
    await keyRow(keyName).waitFor();
    assert.equal(await page.getByTestId("new-api-key").count(), 0);
    assert.ok(!(await page.content()).includes(apiKey), "the secret must not be on the page");
    await keyRow(keyName)
      .getByText(`${apiKey.slice(0, 10)}…`)
      .waitFor();
    await keyRow("from the API reference").waitFor();
    await screenshot(page, "05-keys-after-reload");
  });

  await step("revokes the key in the UI, after which ingest gets 401", page, async () => {
    await keyRow(keyName).getByRole("button", { name: "Revoke" }).click();
    await keyRow(keyName).getByRole("button", { name: "Confirm revoke" }).click();
    await keyRow(keyName).getByText("Revoked").waitFor();
    const res = await ingest(apiKey, { traces: [{ id: `${traceId}-2`, agent: "e2e-agent", started_at: 0 }] });
    assert.equal(res.status, 401, await res.clone().text());
    await screenshot(page, "06-key-revoked");
  });

  let acceptUrl = "";
  await step("invites a teammate (through the API, as the signed-in owner)", page, async () => {
    const invitation = await page.evaluate(async () => {
      const me = await (await fetch("/api/v1/auth/me")).json();
      const res = await fetch("/api/v1/users/invitations", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": me.csrf_token },
        body: JSON.stringify({ email: `grace-${Date.now()}@example.com`, role: "member" }),
      });
      return { status: res.status, body: await res.json() };
    });
    assert.equal(invitation.status, 201, JSON.stringify(invitation.body));
    acceptUrl = invitation.body.accept_url;
    assert.ok(acceptUrl.startsWith(`${url}/accept-invitation?token=`), acceptUrl);
  });

  await step("logs out and shows the forms again", page, async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await signUpForm.waitFor();
    await logInForm.waitFor();
    assert.equal(await page.getByTestId("tenant-name").count(), 0);
    const me = await page.evaluate(async () => (await fetch("/api/v1/auth/me")).status);
    assert.equal(me, 401);
  });

  await step("refuses a wrong password, then logs in", page, async () => {
    await logInForm.getByLabel("Email").fill(email);
    await logInForm.getByLabel("Password").fill("not the password");
    await logInForm.getByRole("button", { name: "Log in" }).click();
    await logInForm.getByRole("alert").waitFor();
    await screenshot(page, "07-log-in-error");
    await logInForm.getByLabel("Password").fill(password);
    await logInForm.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("tenant-name").filter({ hasText: tenantName }).waitFor();
  });

  await step("joins the tenant through the invitation link", page, async () => {
    const invitee = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
    const join = await invitee.newPage();
    join.on("pageerror", (err) => pageErrors.push(err));
    await join.goto("/accept-invitation?token=not-a-real-token-at-all");
    await join.getByLabel("Password").fill(password);
    await join.getByRole("button", { name: "Set password and sign in" }).click();
    await join.getByRole("alert").filter({ hasText: "not found" }).waitFor();

    await join.goto(acceptUrl);
    await join.getByRole("heading", { name: "Join your team on AuditTrail" }).waitFor();
    await screenshot(join, "08-accept-invitation");
    await join.getByLabel("Password").fill(password);
    await join.getByRole("button", { name: "Set password and sign in" }).click();
    await join.getByTestId("tenant-name").filter({ hasText: tenantName }).waitFor();
    await join.locator(".badge.role").filter({ hasText: "member" }).waitFor();
    await screenshot(join, "09-invitee-dashboard");
    await invitee.close();
  });

  await step("raises no uncaught errors in the page", page, async () => {
    assert.deepEqual(pageErrors.map(String), []);
  });
} finally {
  await stack.close();
}
