// An anomaly alert end to end, as an on-call engineer meets it: 14 days of normal traffic and then
// a spike (the simulator's own generator, sent through the public ingest API) are folded and
// scanned by the minute cron; the owner, with Analytics open, gets a live `alert.fired` toast whose
// link opens the Capability tab filtered to the spiking capability, and the tenant's signed webhook
// channel receives the incident once however many scans run.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { scenario } from "../../scripts/simulate/traffic.mjs";
import { screenshot, startStack, step } from "./harness.mjs";

const stack = await startStack();
const { url, browser } = stack;
const run = Date.now().toString(36);

const received = [];
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(200).end("ok");
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));

async function api(path, init = {}, session) {
  const headers = { "content-type": "application/json", ...(init.headers ?? {}) };
  if (session) {
    headers.cookie = session.cookie;
    if (init.method && init.method !== "GET") headers["x-csrf-token"] = session.csrf;
  }
  const res = await fetch(`${url}${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, res };
}

const email = `oncall-${run}@example.com`;
const password = "correct horse battery";
const signup = await api("/api/v1/auth/signup", {
  method: "POST",
  headers: { "cf-connecting-ip": `10.9.${run.length}.7` },
  body: JSON.stringify({ tenant_name: `On call ${run}`, email, password }),
});
assert.equal(signup.status, 201);
const session = {
  cookie: signup.res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; "),
  csrf: signup.body.csrf_token,
};
const key = (
  await api(
    "/api/v1/api-keys",
    { method: "POST", body: JSON.stringify({ name: "sim", scopes: ["ingest", "read"] }) },
    session,
  )
).body.key;
const channel = await api(
  "/api/v1/alerts/channels",
  {
    method: "POST",
    body: JSON.stringify({
      kind: "webhook",
      name: "On-call hook",
      url: `http://127.0.0.1:${receiver.address().port}/hook`,
      min_severity: "warning",
    }),
  },
  session,
);
assert.equal(channel.status, 201, JSON.stringify(channel.body));
const secret = channel.body.signing_secret;

const context = await browser.newContext({ baseURL: url, viewport: { width: 1440, height: 900 } });
await context.addCookies(
  session.cookie.split("; ").map((pair) => {
    const [name, ...value] = pair.split("=");
    return { name, value: value.join("="), url };
  }),
);
const page = await context.newPage();
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(err));

const tick = () =>
  fetch(`${url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}`).then((r) => r.text());

try {
  let capability;
  await step("opens Analytics with the live feed connected", page, async () => {
    await page.goto("/analytics");
    await page.getByRole("navigation", { name: "Analytics views" }).waitFor();
    await page.waitForTimeout(1000); // the feed's socket opens after the page
  });

  await step("sends 14 normal days and then a spike", page, async () => {
    const sim = scenario("spike", { now: Date.now(), days: 14, seed: 3, tracesPerDay: 400 });
    capability = sim.capability;
    for (const batch of sim.batches) {
      const res = await fetch(`${url}/api/v1/traces/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify(batch),
      });
      assert.equal(res.status, 200, await res.text());
    }
  });

  await step("gets an alert.fired toast from the minute cron", page, async () => {
    const toast = page.getByTestId("alert-fired-toast").filter({ hasText: capability });
    // Spike, drop and deviation hold for a minute after history (14 backdated days) stops arriving.
    for (let i = 0; i < 120 && !(await toast.count()); i++) {
      await tick();
      await page.waitForTimeout(1000);
    }
    await toast.first().waitFor({ timeout: 5000 });
    await screenshot(page, "alert-live-toast-1440");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "alert-live-toast-390");
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await step("the toast opens the Capability tab filtered to the spiking capability", page, async () => {
    await page
      .getByTestId("alert-fired-toast")
      .filter({ hasText: capability })
      .first()
      .getByRole("link")
      .first()
      .click();
    await page.waitForURL(/tab=capability/);
    const here = new URL(page.url());
    assert.equal(here.searchParams.get("capability"), capability);
    const current = page.locator('nav[aria-label="Analytics views"] a[aria-current="page"]');
    assert.equal((await current.textContent())?.trim(), "Capabilities");
    await screenshot(page, "alert-live-capability-tab");
  });

  await step("the webhook got the incident once, signed, however many scans ran", page, async () => {
    for (let i = 0; i < 3; i++) await tick();
    for (let i = 0; i < 20 && !received.length; i++) await page.waitForTimeout(500);
    const triggers = received
      .map((r) => ({ ...r, json: JSON.parse(r.body) }))
      .filter((r) => JSON.stringify(r.json).includes(capability) && JSON.stringify(r.json).includes("spike"));
    assert.equal(triggers.length, 1, `deliveries: ${received.map((r) => r.body.slice(0, 120)).join(" | ")}`);
    const [, t, mac] = /t=(\d+),v1=([0-9a-f]+)/.exec(triggers[0].headers["x-audittrail-signature"]) ?? [];
    const expected = createHmac("sha256", secret).update(`${t}.${triggers[0].body}`).digest("hex");
    assert.equal(mac, expected);
    const events = await api(
      `/api/v1/alerts/events?detector=spike&capability=${encodeURIComponent(capability)}`,
      {},
      session,
    );
    assert.equal(events.body.data.length, 1);
    assert.equal(events.body.data[0].state, "firing");
    // Nothing else about the normal days: no drop fired while they were arriving.
    const drops = await api("/api/v1/alerts/events?detector=drop", {}, session);
    assert.deepEqual(drops.body.data, []);
  });

  assert.deepEqual(pageErrors, []);
} finally {
  receiver.close();
  await context.close();
  await stack.close();
}
