import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Batch, normalDays, type PatternName, scenario } from "../../scripts/simulate/traffic.mjs";
import { DAY } from "../../worker/alerts/detectors";
import type { EventRow } from "../../worker/alerts/queries";
import { scanTenant } from "../../worker/alerts/scan";
import { foldTenant } from "../../worker/analytics/fold";
import type { TenantContext } from "../../worker/db/client";
import { contextOf } from "../alerts/traffic";
import { createKey, ingest, signup } from "../helpers";

// Wednesday 2026-12-02, 15:30 UTC: business hours, with the drop's silent 3 hours inside them.
const NOW = Date.parse("2026-12-02T15:30:00Z");
const PER_DAY = 100; // a small fleet keeps the test quick; every detector's minimum is still met

/** Batches through ingest, folded, then scanned as of `now`. */
async function sent(batches: Batch[], now = NOW) {
  const s = await signup();
  const { key } = await createKey(s);
  for (const batch of batches) await ingest(key, batch);
  const t = await contextOf(s);
  // The ingest queue folds too: while it holds the fold's lease, ours waits its turn.
  const deadline = Date.now() + 20_000;
  for (;;) {
    // The fold's clock is the real one (it reads changes by their write time); the scan's is `now`.
    const run = await foldTenant(env, t.id, { now: Date.now() + 10_000 });
    if ((!run.more && !run.busy) || Date.now() > deadline) break;
    if (run.busy) await new Promise((r) => setTimeout(r, 100));
  }
  // The fold ran on the real clock, and saw 14 days of history arrive; on the scan's clock that
  // was two minutes before `now`, so the count-based detectors no longer wait for it.
  await t.d1
    .prepare("UPDATE analytics_sync SET backfill_at = ?2 WHERE tenant_id = ?1 AND backfill_at IS NOT NULL")
    .bind(t.id, now - 2 * 60_000)
    .run();
  return { t, scan: await scanTenant(t, { now }) };
}

/** `npm run simulate -- <name>`'s traffic, at a smaller scale. */
async function simulated(name: PatternName): Promise<{ t: TenantContext; capability: string }> {
  const { capability, batches } = scenario(name, { now: NOW, seed: 4, tracesPerDay: PER_DAY });
  return { ...(await sent(batches)), capability };
}

async function events(t: TenantContext, detector: string, capability: string): Promise<EventRow[]> {
  const { results } = await t.d1
    .prepare("SELECT * FROM alert_events WHERE tenant_id = ?1 AND detector = ?2 AND capability = ?3")
    .bind(t.id, detector, capability)
    .all<EventRow>();
  return results;
}

describe("the simulator's patterns, sent through ingest and folded", () => {
  it("raises nothing on normal traffic alone, on a Monday after a quiet weekend", async () => {
    const monday = NOW - 2 * DAY;
    const { scan } = await sent(normalDays({ now: monday, seed: 4, tracesPerDay: PER_DAY }), monday);
    expect(scan.fired.map((e) => `${e.detector} ${e.capability} ${e.window}`)).toEqual([]);
  });

  it("fires a spike on today's count of the spiking capability", async () => {
    const { t, capability } = await simulated("spike");
    const spikes = await events(t, "spike", capability);
    expect(spikes.map((e) => [e.window, e.state])).toEqual([["2026-12-02", "firing"]]);
  });

  it("fires a drop on yesterday's low count and on the silent hours", async () => {
    const { t, capability } = await simulated("drop");
    const windows = (await events(t, "drop", capability)).map((e) => e.window);
    expect(windows).toEqual(expect.arrayContaining(["2026-12-01", "silence"]));
  });

  it("fires an error surge over the last 15 minutes", async () => {
    const { t, capability } = await simulated("errors");
    const [surge] = await events(t, "error_surge", capability);
    expect(surge).toMatchObject({ window: "15m", state: "firing" });
    expect(surge.observed).toBeGreaterThanOrEqual(30);
  });

  it("reports the capability never seen before", async () => {
    const { t, capability } = await simulated("new-capability");
    expect((await events(t, "new_capability", capability)).map((e) => e.severity)).toEqual(["info"]);
  });
});
