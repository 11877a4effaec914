import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY, dayStart, HOUR, MINUTE } from "../../worker/alerts/detectors";
import type { EventRow } from "../../worker/alerts/queries";
import { scanTenant } from "../../worker/alerts/scan";
import { detectAfterFold, sweepAlerts } from "../../worker/alerts/sweep";
import { foldTenant } from "../../worker/analytics/fold";
import type { TenantContext } from "../../worker/db/client";
import type { LiveMessage } from "../../worker/live/protocol";
import { as, createKey, ingest, signup, signupOn } from "../helpers";
import { connect } from "../live/sockets";
import { contextOf, dayCount, facts, firstSeen, history, synced } from "./traffic";

// Wednesday 2026-12-02, 14:00 UTC: inside default business hours, with 2 h of them behind it.
const NOW = Date.parse("2026-12-02T14:00:00Z");
const TODAY = dayStart(NOW);

/** A tenant with 20 days of normal traffic for `search`, and today's share of it so far. */
async function normalTenant(capability = "search"): Promise<TenantContext> {
  const t = await contextOf(await signup());
  await synced(t, NOW);
  await history(t, capability, NOW);
  await dayCount(t, capability, TODAY, 58);
  await facts(t, capability, NOW - 3 * HOUR, NOW, 30);
  return t;
}

async function events(t: TenantContext, detector?: string): Promise<EventRow[]> {
  const { results } = await t.d1
    .prepare(
      "SELECT * FROM alert_events WHERE tenant_id = ?1 AND (?2 IS NULL OR detector = ?2) ORDER BY fired_at",
    )
    .bind(t.id, detector ?? null)
    .all<EventRow>();
  return results;
}

type AlertMessage = Extract<LiveMessage, { event: "alert.fired" | "alert.resolved" }>;
const isAlert = (m: LiveMessage): m is AlertMessage =>
  m.event === "alert.fired" || m.event === "alert.resolved";

describe("the alert scan", () => {
  it("stays quiet on 20 days of normal traffic", async () => {
    const t = await normalTenant();
    const result = await scanTenant(t, { now: NOW });
    expect(result).toMatchObject({ fired: [], resolved: [], notices: [] });
    expect(await events(t)).toEqual([]);
  });

  it("opens one incident for a spike however often it scans, and resolves it once when the day is over", async () => {
    const t = await normalTenant();
    await dayCount(t, "search", TODAY, 300);
    const runs = await Promise.all([1, 2, 3].map(() => scanTenant(t, { now: NOW })));
    runs.push(await scanTenant(t, { now: NOW + MINUTE }));
    const spikes = await events(t, "spike");
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({
      state: "firing",
      severity: "critical",
      window: "2026-12-02",
      observed: 300,
    });
    expect(spikes[0].link).toBe(
      `/analytics?tab=capability&capability=search&from=${encodeURIComponent("2026-12-02T00:00:00.000Z")}&to=${encodeURIComponent("2026-12-03T00:00:00.000Z")}`,
    );
    expect(runs.flatMap((r) => r.fired.filter((e) => e.detector === "spike"))).toHaveLength(1);
    const triggers = runs.flatMap((r) => r.notices.filter((n) => n.event.detector === "spike"));
    expect(new Set(triggers.map((n) => n.key)).size).toBe(1);
    expect(spikes[0].notifications).toBe(1);

    const tomorrow = NOW + DAY;
    const later = [await scanTenant(t, { now: tomorrow }), await scanTenant(t, { now: tomorrow + MINUTE })];
    const [resolved] = await events(t, "spike");
    expect(resolved).toMatchObject({ state: "resolved", resolved_at: tomorrow, notified_severity: null });
    expect(later.flatMap((r) => r.resolved.filter((e) => e.detector === "spike"))).toHaveLength(1);
    const resolves = later.flatMap((r) => r.notices.filter((n) => n.event.detector === "spike"));
    expect(resolves.map((n) => [n.action, n.reason])).toEqual([["resolve", "resolved"]]);
  });

  it("notifies again when the severity rises, not when it falls, and reminds after the interval", async () => {
    const t = await normalTenant();
    const spikeNotices = async (count: number, now: number) => {
      await dayCount(t, "search", TODAY, count);
      const r = await scanTenant(t, { now });
      return r.notices.filter((n) => n.event.detector === "spike").map((n) => n.reason);
    };
    expect(await spikeNotices(190, NOW)).toEqual(["new"]);
    expect(await spikeNotices(200, NOW + MINUTE)).toEqual([]);
    expect(await spikeNotices(300, NOW + 2 * MINUTE)).toEqual(["escalated"]);
    expect(await spikeNotices(190, NOW + 3 * MINUTE)).toEqual([]);
    expect(await spikeNotices(300, NOW + 4 * MINUTE)).toEqual([]);
    expect(await spikeNotices(300, NOW + 2 * MINUTE + 240 * MINUTE)).toEqual(["reminder"]);
    const [spike] = await events(t, "spike");
    expect(spike).toMatchObject({ notifications: 3, severity: "critical", state: "firing" });
    // Once someone has acknowledged it, reminders stop.
    await t.d1.prepare("UPDATE alert_events SET acknowledged_at = 1 WHERE id = ?").bind(spike.id).run();
    expect(await spikeNotices(300, NOW + 2 * MINUTE + 480 * MINUTE)).toEqual([]);
  });

  it("fires a drop on a quiet completed day and on two silent hours of business time", async () => {
    const t = await contextOf(await signup());
    await synced(t, NOW);
    await history(t, "search", NOW);
    await dayCount(t, "search", TODAY - DAY, 10);
    await scanTenant(t, { now: NOW });
    const drops = await events(t, "drop");
    expect(drops.map((e) => [e.window, e.severity]).sort()).toEqual([
      ["2026-12-01", "critical"],
      ["silence", "critical"],
    ]);
    // Traffic is back: the silence clears, the completed day's drop stands.
    await facts(t, "search", NOW, NOW + 5 * MINUTE, 10);
    await scanTenant(t, { now: NOW + 10 * MINUTE });
    const after = await events(t, "drop");
    expect(after.map((e) => [e.window, e.state]).sort()).toEqual([
      ["2026-12-01", "firing"],
      ["silence", "resolved"],
    ]);
  });

  it("fires an error surge over 15 minutes with enough volume, and a deviation past 2σ", async () => {
    const t = await normalTenant();
    await facts(t, "search", NOW - 10 * MINUTE, NOW, 40, 10);
    await dayCount(t, "search", TODAY - DAY, 60);
    await scanTenant(t, { now: NOW });
    const [surge] = await events(t, "error_surge");
    expect(surge).toMatchObject({ capability: "search", window: "15m", severity: "critical", expected: 5 });
    expect(surge.observed).toBeGreaterThan(20);
    const [deviation] = await events(t, "deviation");
    expect(deviation).toMatchObject({ window: "2026-12-01", observed: 60 });
  });

  it("reports a capability seen for the first time today, not one backfilled from history", async () => {
    const t = await normalTenant();
    await firstSeen(t, "translate", NOW - HOUR);
    await scanTenant(t, { now: NOW });
    const found = await events(t, "new_capability");
    expect(found.map((e) => [e.capability, e.severity])).toEqual([["translate", "info"]]);
  });

  it("resolves a detector's incidents when it is switched off", async () => {
    const s = await signup();
    const t = await contextOf(s);
    await synced(t, NOW);
    await history(t, "search", NOW);
    await dayCount(t, "search", TODAY, 300);
    await facts(t, "search", NOW - HOUR, NOW, 30);
    await scanTenant(t, { now: NOW });
    const put = await as(s, "/api/v1/alerts/rules/spike", { method: "PUT", json: { enabled: false } });
    expect(put.status).toBe(200);
    await scanTenant(t, { now: NOW + MINUTE });
    expect((await events(t, "spike")).map((e) => e.state)).toEqual(["resolved"]);
  });

  it("finds a new capability and its error surge in traces sent through ingest and folded", async () => {
    const s = await signup();
    const { key } = await createKey(s);
    const now = Date.now();
    const traces = Array.from({ length: 25 }, (_, i) => ({
      id: `checkout-${i}`,
      agent: "shop-bot",
      started_at: new Date(now - 10 * MINUTE + i * 1000).toISOString(),
      ended_at: new Date(now - 10 * MINUTE + i * 1000 + 500).toISOString(),
      status: i < 10 ? "error" : "ok",
      metadata: { capability: "checkout" },
    }));
    await ingest(key, { traces });
    const t = await contextOf(s);
    // The ingest queue folds too: while it holds the fold's lease, ours waits its turn.
    const deadline = Date.now() + 10_000;
    let found: EventRow[] = [];
    while (found.length < 2 && Date.now() < deadline) {
      await foldTenant(env, t.id, { now: now + 10_000 });
      await scanTenant(t, { now: now + 10_000 });
      found = await events(t);
      if (found.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found.map((e) => [e.detector, e.capability, e.severity]).sort()).toEqual([
      ["error_surge", "checkout", "critical"],
      ["new_capability", "checkout", "info"],
    ]);
  });

  it("judges freshness from the cron only, on the fold's lag", async () => {
    const s = await signup();
    const t = await contextOf(s);
    const { key } = await createKey(s);
    // The fold is stuck: it ran once, long ago, and another run holds its lease for an hour.
    await synced(t, 1);
    await t.d1
      .prepare("UPDATE analytics_sync SET lease_token = 'stuck', lease_until = ?2 WHERE tenant_id = ?1")
      .bind(t.id, Date.now() + HOUR)
      .run();
    await ingest(key, { traces: [{ id: "fresh-1", agent: "bot", started_at: new Date().toISOString() }] });
    const now = Date.now() + 20 * MINUTE;
    await detectAfterFold(env, t.id, now);
    expect(await events(t, "freshness")).toEqual([]);
    await sweepAlerts(env, now);
    const [stale] = await events(t, "freshness");
    expect(stale).toMatchObject({ capability: null, window: "fold", severity: "critical", state: "firing" });
  });

  it("judges only freshness for a tenant whose rollups are still catching up", async () => {
    const t = await contextOf(await signup());
    await synced(t, NOW);
    await history(t, "search", NOW);
    await dayCount(t, "search", TODAY, 300);
    await sweepAlerts(env, NOW, new Set([t.id]));
    expect(await events(t, "spike")).toEqual([]);
    // Caught up: the spike stands, and is fired once.
    await sweepAlerts(env, NOW + MINUTE);
    expect((await events(t, "spike")).map((e) => e.state)).toEqual(["firing"]);
  });

  it("holds spike, drop and deviation while history is still arriving", async () => {
    const t = await normalTenant();
    await dayCount(t, "search", TODAY, 300);
    await t.d1
      .prepare("UPDATE analytics_sync SET backfill_at = ?2, backfill_from = ?3 WHERE tenant_id = ?1")
      .bind(t.id, NOW - 20_000, NOW - 10 * DAY)
      .run();
    await scanTenant(t, { now: NOW });
    expect(await events(t, "spike")).toEqual([]);
    // A minute after the last of it, the counts are final and the spike fires.
    await scanTenant(t, { now: NOW + MINUTE });
    expect((await events(t, "spike")).map((e) => e.state)).toEqual(["firing"]);
  });

  it("scans tenants on every data database from the cron", async () => {
    const t = await contextOf(await signupOn("DB2"));
    expect(t.dataDb).toBe("DB2");
    await synced(t, NOW);
    await history(t, "search", NOW);
    await dayCount(t, "search", TODAY, 300);
    await sweepAlerts(env, NOW);
    expect((await events(t, "spike")).map((e) => e.state)).toEqual(["firing"]);
  });

  it("puts new and resolved incidents on the live feed", async () => {
    const s = await signup();
    const t = await contextOf(s);
    await synced(t, NOW);
    await history(t, "search", NOW);
    await dayCount(t, "search", TODAY, 300);
    await facts(t, "search", NOW - HOUR, NOW, 30);
    const live = await connect("/ws/live", { cookie: s.cookie });
    await scanTenant(t, { now: NOW });
    await scanTenant(t, { now: NOW + DAY });
    const deadline = Date.now() + 5000;
    const seen = () => live.received.filter(isAlert);
    while (seen().filter((m) => m.payload.detector === "spike").length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const spike = seen().filter((m) => m.payload.detector === "spike");
    expect(spike.map((m) => [m.event, m.payload.state])).toEqual([
      ["alert.fired", "firing"],
      ["alert.resolved", "resolved"],
    ]);
    live.ws.close();
  });
});
