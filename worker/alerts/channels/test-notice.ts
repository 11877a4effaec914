/** The notice the "send test" button sends: plainly a test, at info severity. */
import type { AlertEvent, AlertNotice } from "../schemas";
import type { ChannelRow } from "./store";

export function testEvent(row: Pick<ChannelRow, "id" | "name">, now = Date.now()): AlertEvent {
  const at = new Date(now).toISOString();
  return {
    id: `test_${row.id}`,
    detector: "spike",
    capability: "audittrail.test",
    window: "15m",
    window_start: new Date(now - 15 * 60_000).toISOString(),
    window_end: at,
    observed: 42,
    expected: 21,
    delta_pct: 100,
    severity: "info",
    state: "firing",
    summary: `Test notification from AuditTrail for channel "${row.name}": delivery works.`,
    link: "/alerts",
    dedup_key: `audittrail-test-${row.id}`,
    fired_at: at,
    updated_at: at,
    resolved_at: null,
    acknowledged_at: null,
    acknowledged_by: null,
    notifications: 0,
  };
}

/** One trigger; PagerDuty also gets its resolve, so the test leaves no open incident behind. */
export function testNotices(row: Pick<ChannelRow, "id" | "name" | "kind">): AlertNotice[] {
  const event = testEvent(row);
  const trigger: AlertNotice = { event, action: "trigger", reason: "new", key: `${event.id}:trigger` };
  if (row.kind !== "pagerduty") return [trigger];
  const done = { ...event, state: "resolved" as const, resolved_at: event.updated_at };
  return [trigger, { event: done, action: "resolve", reason: "resolved", key: `${event.id}:resolve` }];
}
