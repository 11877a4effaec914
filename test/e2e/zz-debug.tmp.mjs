import { startStack } from "/work/main/test/e2e/harness.mjs";
const stack = await startStack();
const { url, browser } = stack;
try {
  const ctx = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.on("console", (m) => console.log("console:", m.text()));
  page.on("pageerror", (e) => console.log("pageerror:", e));
  await page.goto("/");
  const r = await page.evaluate(async () => {
    const res = await fetch("/api/v1/auth/signup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tenant_name: "x", email: `a${Date.now()}@x.com`, password: "correct horse battery" }) });
    const me = await res.json();
    const k = await fetch("/api/v1/api-keys", { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": me.csrf_token }, body: JSON.stringify({ name: "k", scopes: ["ingest"] }) });
    return (await k.json()).key;
  });
  const now = Date.now();
  const res = await fetch(`${url}/api/v1/traces/ingest`, { method: "POST", headers: { authorization: `Bearer ${r}`, "content-type": "application/json" }, body: JSON.stringify({ traces: [{ id: "t1", agent: "a", started_at: now - 3600_000, ended_at: now - 3500_000 }], spans: [{ id: "s1", trace_id: "t1", type: "llm", name: "c", started_at: now - 3600_000, ended_at: now - 3500_000, model: "gpt-4o", usage: { input_tokens: 100, output_tokens: 10 } }] }) });
  console.log(res.status);
  await page.goto("/analytics?range=24h");
  await page.getByTestId("cost-chart").locator("canvas").waitFor();
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(200);
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForTimeout(200);
  const plot = page.getByTestId("cost-chart").locator(".chart-plot");
  await plot.focus();
  console.log("focused", await page.evaluate(() => document.activeElement?.className));
  await page.keyboard.press("ArrowLeft");
  await page.waitForTimeout(300);
  console.log(await page.getByTestId("cost-chart").locator(".chart-area").innerHTML().then((h) => h.slice(-1500)));
} finally {
  await stack.close();
}
