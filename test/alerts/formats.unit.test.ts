import { describe, expect, it } from "vitest";
import { scrub } from "../../worker/alerts/channels/deliver";
import { dashboardUrl, deltaText, titleOf } from "../../worker/alerts/channels/formats";
import type { AlertEvent } from "../../worker/alerts/schemas";

const event = (over: Partial<AlertEvent>) => ({ delta_pct: null, ...over }) as AlertEvent;

describe("alert message parts", () => {
  it("joins APP_URL and the dashboard path with exactly one slash", () => {
    expect(dashboardUrl("https://a.example.com", "/analytics?x=1")).toBe(
      "https://a.example.com/analytics?x=1",
    );
    expect(dashboardUrl("https://a.example.com/", "/alerts")).toBe("https://a.example.com/alerts");
    expect(dashboardUrl("https://a.example.com//", "alerts")).toBe("https://a.example.com/alerts");
  });

  it("writes the change with its sign and one decimal, or n/a without a baseline", () => {
    expect(deltaText(event({ delta_pct: 200 }))).toBe("+200.0%");
    expect(deltaText(event({ delta_pct: -35.25 }))).toBe("-35.3%");
    expect(deltaText(event({ delta_pct: 0 }))).toBe("0.0%");
    expect(deltaText(event({}))).toBe("n/a");
  });

  it("titles a resolve as resolved and a tenant-wide alert as all capabilities", () => {
    const e = event({ detector: "freshness", capability: null, severity: "critical" });
    expect(titleOf({ event: e, action: "trigger", reason: "new", key: "k" })).toBe(
      "[CRITICAL] freshness: all capabilities",
    );
    expect(titleOf({ event: e, action: "resolve", reason: "resolved", key: "k" })).toBe(
      "[RESOLVED] freshness: all capabilities",
    );
  });

  it("never lets a credential into an error shown in the API", () => {
    const url = "https://hooks.slack.com/services/T0/B0/secret";
    expect(scrub(`network error: ${url} refused`, [url, undefined])).toBe(
      "network error: [credential] refused",
    );
  });
});
