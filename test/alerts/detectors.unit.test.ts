import { describe, expect, it } from "vitest";
import { inBusinessHours, windowInBusinessHours } from "../../worker/alerts/business-hours";
import {
  DAY,
  type DailyCounts,
  dayStart,
  detectDeviation,
  detectDrop,
  detectErrorSurge,
  detectFreshness,
  detectNewCapability,
  detectSilence,
  detectSpike,
  HOUR,
  MINUTE,
  median,
} from "../../worker/alerts/detectors";
import { checkConfig, checkDocument, defaultConfig } from "../../worker/alerts/rules";

// Wednesday 2026-12-02, 14:00 UTC.
const NOW = Date.parse("2026-12-02T14:00:00Z");
const TODAY = dayStart(NOW);

/** `history` interactions on each of the 20 days before today (a little noise), `today` today. */
function days(history: number, today: number, yesterday = history): DailyCounts {
  const counts = new Map<number, number>();
  for (let i = 2; i <= 20; i++) counts.set(TODAY - i * DAY, history + ((i * 7) % 5) - 2);
  counts.set(TODAY - DAY, yesterday);
  counts.set(TODAY, today);
  return new Map([["search", counts]]);
}

describe("detectors", () => {
  it("takes the median of an even count as the mean of the middle two", () => {
    expect(median([1, 9, 3, 5])).toBe(4);
    expect(median([])).toBe(0);
  });

  it("stays quiet on 20 days of normal traffic", () => {
    // Normal traffic: about 100 a day; by 14:00 today has about 58 of them.
    const normal = days(100, 58);
    expect(detectSpike(normal, defaultConfig("spike"), NOW)).toEqual([]);
    expect(detectDrop(normal, defaultConfig("drop"), NOW)).toEqual([]);
    expect(detectDeviation(normal, defaultConfig("deviation"), NOW)).toEqual([]);
  });

  it("fires a spike when today so far passes 1.75 × the 14-day median, critical at 2.5 ×", () => {
    const [warning] = detectSpike(days(100, 190), defaultConfig("spike"), NOW);
    expect(warning).toMatchObject({
      detector: "spike",
      capability: "search",
      window: "2026-12-02",
      severity: "warning",
    });
    expect(warning.expected).toBe(100);
    expect(warning.deltaPct).toBe(90);
    expect(detectSpike(days(100, 260), defaultConfig("spike"), NOW)[0].severity).toBe("critical");
  });

  it("ignores a capability below the minimum baseline", () => {
    expect(detectSpike(days(4, 40), defaultConfig("spike"), NOW)).toEqual([]);
  });

  it("fires a drop on a completed day under 0.4 × the median, critical under half of that", () => {
    const [drop] = detectDrop(days(100, 50, 30), defaultConfig("drop"), NOW);
    expect(drop).toMatchObject({ window: "2026-12-01", severity: "warning", observed: 30 });
    expect(detectDrop(days(100, 50, 10), defaultConfig("drop"), NOW)[0].severity).toBe("critical");
  });

  it("reports silence only when the whole window lies in business hours", () => {
    const daily = days(100, 50);
    const config = defaultConfig("drop");
    const [silent] = detectSilence(daily, new Map(), config, NOW);
    expect(silent).toMatchObject({ detector: "drop", window: "silence", severity: "critical", observed: 0 });
    expect(detectSilence(daily, new Map([["search", { interactions: 1, errors: 0 }]]), config, NOW)).toEqual(
      [],
    );
    // 10:00 is only an hour into the business day; Saturday is not a business day.
    expect(detectSilence(daily, new Map(), config, TODAY + 10 * HOUR)).toEqual([]);
    expect(detectSilence(daily, new Map(), config, Date.parse("2026-12-05T14:00:00Z"))).toEqual([]);
  });

  it("reads business hours in the tenant's time zone", () => {
    const hours = {
      time_zone: "America/New_York",
      days: ["mon", "tue", "wed", "thu", "fri"] as const,
      start: "09:00",
      end: "17:00",
    };
    const ny = { ...hours, days: [...hours.days] };
    // 14:00 UTC is 09:00 in New York (EST): inside, but the two hours before are not.
    expect(inBusinessHours(NOW, ny)).toBe(true);
    expect(windowInBusinessHours(NOW, 120, ny)).toBe(false);
    expect(windowInBusinessHours(NOW + 3 * HOUR, 120, ny)).toBe(true);
  });

  it("fires an error surge over the limit with enough volume, critical at twice the limit", () => {
    const config = defaultConfig("error_surge");
    const surge = (interactions: number, errors: number) =>
      detectErrorSurge(new Map([["search", { interactions, errors }]]), config, NOW);
    expect(surge(100, 4)).toEqual([]);
    expect(surge(10, 9)).toEqual([]);
    expect(surge(100, 8)[0]).toMatchObject({ window: "15m", severity: "warning", observed: 8, expected: 5 });
    expect(surge(100, 10)[0].severity).toBe("critical");
  });

  it("calls a capability new only when its first trace is within the lookback", () => {
    const config = defaultConfig("new_capability");
    const found = detectNewCapability(
      [
        { capability: "fresh", firstSeenAt: NOW - 2 * HOUR },
        { capability: "backfilled", firstSeenAt: NOW - 14 * DAY },
      ],
      config,
      NOW,
    );
    expect(found.map((f) => [f.capability, f.severity])).toEqual([["fresh", "info"]]);
  });

  it("fires a deviation past 2σ on yesterday either way, and on today only when high", () => {
    const config = defaultConfig("deviation");
    expect(detectDeviation(days(100, 58, 60), config, NOW)[0]).toMatchObject({ window: "2026-12-01" });
    expect(detectDeviation(days(100, 160), config, NOW)[0]).toMatchObject({
      window: "2026-12-02",
      severity: "critical",
    });
  });

  it("fires freshness past 5 minutes of lag, critical past 15, and not before a first fold", () => {
    const config = defaultConfig("freshness");
    expect(detectFreshness({ lag_ms: 4 * MINUTE, state: "fresh" }, config, NOW)).toEqual([]);
    expect(detectFreshness({ lag_ms: 6 * MINUTE, state: "stale" }, config, NOW)[0]).toMatchObject({
      capability: null,
      severity: "warning",
    });
    expect(detectFreshness({ lag_ms: 20 * MINUTE, state: "stale" }, config, NOW)[0].severity).toBe(
      "critical",
    );
    expect(detectFreshness({ lag_ms: 0, state: "never" }, config, NOW)).toEqual([]);
  });
});

describe("rule settings", () => {
  it("fills defaults and refuses out-of-range numbers and unknown keys with field paths", () => {
    expect(checkConfig("spike", {})).toMatchObject({ ok: true, value: { factor: 1.75, baseline_days: 14 } });
    const bad = checkConfig("spike", { factor: 1e30, colour: "red" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.details.map((d) => d.path).sort()).toEqual(["(root)", "factor"]);
  });

  it("names the detector and field in a document's errors", () => {
    const checked = checkDocument({
      detectors: {
        spike: { factor: 0 },
        drop: { business_hours: { time_zone: "Mars/Olympus", start: "18:00" } },
      },
    });
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.details.map((d) => d.path)).toEqual(
        expect.arrayContaining(["detectors.spike.factor", "detectors.drop.business_hours.time_zone"]),
      );
    const unknown = checkDocument({ detectors: { sneeze: {} } });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.details[0].path).toBe("detectors.sneeze");
  });

  it("refuses a freshness critical lag at or under the warning lag", () => {
    const checked = checkConfig("freshness", { max_lag_minutes: 10, critical_lag_minutes: 10 });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.details[0].path).toBe("critical_lag_minutes");
  });
});
