import { describe, expect, it } from "vitest";
import { foldAlert, type ToastStack } from "../../web/src/components/governance/toast-fold";
import type { LiveConstitutionalAlert } from "../../worker/live/protocol";

function alert(over: Partial<LiveConstitutionalAlert> = {}): LiveConstitutionalAlert {
  return {
    evaluation_id: "ev_1",
    rule_id: "rule_storm",
    rule_name: "tool_call_storm",
    rule_version: "1",
    policy_group: "reliability",
    severity: "medium",
    outcome: "amber",
    scope: "trace",
    score: 0.82,
    measured: 41,
    limit: 50,
    explanation: "measure trace.tool_call_count = 41, approaching limit > 50 (score 0.82 ≥ amber 0.8)",
    span_id: "s41",
    trace_id: "t1",
    agent: "bot",
    span_name: "search",
    ...over,
  };
}

const EMPTY: ToastStack = { toasts: [], overflow: 0 };
const fold = (alerts: LiveConstitutionalAlert[], max = 3) =>
  alerts.reduce((s, a, i) => foldAlert(s, a, i, max), EMPTY);

describe("alert toasts", () => {
  it("turn a trace's amber toast red in place instead of adding a second one", () => {
    const red = alert({ outcome: "red", measured: 51, span_id: "s51", evaluation_id: "ev_1" });
    const stack = fold([alert(), red]);
    expect(stack.toasts).toHaveLength(1);
    expect(stack.toasts[0]).toMatchObject({
      outcome: "red",
      measured: 51,
      span_id: "s51",
      alerts: 2,
      key: 0,
    });
    expect(stack.overflow).toBe(0);
  });

  it("fold a storm of alerts for one trace × rule into one toast", () => {
    const storm = Array.from({ length: 80 }, (_, i) => alert({ span_id: `s${i}`, scope: "span" }));
    const stack = fold(storm);
    expect(stack.toasts).toHaveLength(1);
    expect(stack.toasts[0]).toMatchObject({ alerts: 80, span_id: "s79" });
    expect(stack.overflow).toBe(0);
  });

  it("keep a red toast red when a later alert of the same trace × rule is amber", () => {
    const stack = fold([alert({ outcome: "red", span_id: "a" }), alert({ outcome: "amber", span_id: "b" })]);
    expect(stack.toasts[0]).toMatchObject({ outcome: "red", span_id: "a", alerts: 2 });
  });

  it("give other traces and other rules toasts of their own, oldest first out", () => {
    const stack = fold([
      alert({ trace_id: "t1" }),
      alert({ trace_id: "t2" }),
      alert({ trace_id: "t1", rule_id: "other" }),
      alert({ trace_id: "t3" }),
      alert({ trace_id: "t2", outcome: "red" }),
    ]);
    expect(stack.toasts.map((t) => [t.trace_id, t.rule_id, t.outcome])).toEqual([
      ["t1", "other", "amber"],
      ["t3", "rule_storm", "amber"],
      ["t2", "rule_storm", "red"],
    ]);
    expect(stack.overflow).toBe(1);
  });
});
