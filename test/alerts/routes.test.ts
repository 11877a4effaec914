import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { dayStart, HOUR } from "../../worker/alerts/detectors";
import { scanTenant } from "../../worker/alerts/scan";
import { as, call, createKey, type ErrorBody, type Session, signup, unique, withKey } from "../helpers";
import { contextOf, dayCount, facts, history, synced } from "./traffic";

const NOW = Date.parse("2026-12-02T14:00:00Z");

async function invite(owner: Session, role: "member" | "viewer"): Promise<Session> {
  const email = `${unique(role)}@example.com`;
  const res = await as(owner, "/api/v1/users/invitations", { method: "POST", json: { email, role } });
  const { token } = (await res.json()) as { token: string };
  const accepted = await call("/api/v1/auth/accept-invitation", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.6.${role.length}.9` },
    body: JSON.stringify({ token, password: "a long enough password" }),
  });
  const body = (await accepted.json()) as { csrf_token: string; user: { id: string; email: string } };
  const cookie = (accepted.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return {
    cookie,
    csrf: body.csrf_token,
    tenantId: owner.tenantId,
    userId: body.user.id,
    email: body.user.email,
  };
}

const yamlPost = (s: Session, text: string) =>
  as(s, "/api/v1/alerts/rules/import", {
    method: "POST",
    body: text,
    headers: { "content-type": "application/yaml" },
  });

type Rule = { detector: string; enabled: boolean; config: Record<string, unknown>; customized: boolean };

let owner: Session;
let member: Session;
let viewer: Session;
let other: Session;

beforeAll(async () => {
  owner = await signup();
  member = await invite(owner, "member");
  viewer = await invite(owner, "viewer");
  other = await signup();
});

describe("alert rules", () => {
  it("lists every detector with its defaults to any reader", async () => {
    const res = await as(viewer, "/api/v1/alerts/rules");
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: (Rule & { defaults: Record<string, unknown> })[] };
    expect(data.map((r) => r.detector)).toEqual([
      "spike",
      "drop",
      "error_surge",
      "new_capability",
      "deviation",
      "freshness",
    ]);
    expect(data[0]).toMatchObject({
      enabled: true,
      customized: false,
      config: { factor: 1.75, baseline_days: 14 },
    });
    expect(data[1].config.business_hours).toEqual({
      time_zone: "UTC",
      days: ["mon", "tue", "wed", "thu", "fri"],
      start: "09:00",
      end: "17:00",
    });
  });

  it("refuses bad thresholds with the field paths", async () => {
    const res = await as(owner, "/api/v1/alerts/rules/drop", {
      method: "PUT",
      json: { factor: 1e30, business_hours: { time_zone: "Nowhere/Else", start: "25:00" }, colour: "red" },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("validation_error");
    expect(body.error.details?.map((d) => d.path)).toEqual(
      expect.arrayContaining(["factor", "business_hours.time_zone", "business_hours.start", "(root)"]),
    );
  });

  it("saves one detector's settings, audited, for owners and admins signed in only", async () => {
    const put = (s: Session) =>
      as(s, "/api/v1/alerts/rules/spike", { method: "PUT", json: { factor: 2, min_median: 20 } });
    expect((await put(viewer)).status).toBe(403);
    expect((await put(member)).status).toBe(403);
    const { key } = await createKey(owner, ["ingest", "read", "audit:write"]);
    const byKey = await withKey(key, "/api/v1/alerts/rules/spike", { method: "PUT", json: { factor: 2 } });
    expect(byKey.status).toBe(403);
    const res = await put(owner);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      customized: true,
      config: { factor: 2, min_median: 20, baseline_days: 14 },
    });
    const audit = await as(owner, "/api/v1/audit/events?event_type=alert_rule.updated");
    const events = (await audit.json()) as { data: { event_type: string; target: { id: string }[] }[] };
    expect(events.data.map((e) => e.target[0].id)).toEqual(["spike"]);
  });

  it("exports YAML that imports back unchanged, and applies an edited file", async () => {
    const exported = await as(viewer, "/api/v1/alerts/rules/export");
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toContain("yaml");
    const text = new TextDecoder().decode(await exported.arrayBuffer());
    const again = await yamlPost(owner, text);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { changed: string[] }).changed).toEqual([]);

    const doc = parse(text) as { detectors: Record<string, Record<string, unknown>> };
    doc.detectors.error_surge.min_volume = 50;
    doc.detectors.freshness.enabled = false;
    const applied = await yamlPost(owner, stringify(doc));
    const body = (await applied.json()) as { changed: string[]; data: Rule[] };
    expect(body.changed.sort()).toEqual(["error_surge", "freshness"]);
    expect(body.data.find((r) => r.detector === "freshness")).toMatchObject({ enabled: false });
    const reexported = parse(
      new TextDecoder().decode(await (await as(owner, "/api/v1/alerts/rules/export")).arrayBuffer()),
    );
    expect(reexported).toEqual(doc);
  });

  it("checks the whole document before saving any of it", async () => {
    const res = await yamlPost(
      owner,
      "detectors:\n  deviation:\n    sigma: 3\n  spike:\n    factor: 0.5\n  sneeze: {}\n",
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.details?.map((d) => d.path)).toEqual(
      expect.arrayContaining(["detectors.spike.factor"]),
    );
    expect(body.error.details?.map((d) => d.path)).toContain("detectors.sneeze");
    const rules = (await (await as(owner, "/api/v1/alerts/rules")).json()) as { data: Rule[] };
    expect(rules.data.find((r) => r.detector === "deviation")?.config.sigma).toBe(2);
    expect((await yamlPost(owner, "detectors: [unclosed")).status).toBe(400);
    expect((await yamlPost(viewer, "detectors: {}")).status).toBe(403);
    expect((await yamlPost(owner, `# ${"x".repeat(70_000)}\ndetectors: {}`)).status).toBe(413);
  });
});

describe("alert events", () => {
  let eventId: string;

  beforeAll(async () => {
    const t = await contextOf(owner);
    await synced(t, NOW);
    await history(t, "search", NOW);
    await dayCount(t, "search", dayStart(NOW), 400);
    await facts(t, "search", NOW - 3 * HOUR, NOW, 30);
    const { fired } = await scanTenant(t, { now: NOW });
    eventId = fired.find((e) => e.detector === "spike")?.id ?? "";
  });

  it("lists and filters incidents for readers, sessions and API keys alike", async () => {
    const res = await as(viewer, "/api/v1/alerts/events?detector=spike&state=firing");
    const page = (await res.json()) as {
      data: { id: string; severity: string }[];
      next_cursor: string | null;
    };
    expect(page.data.map((e) => e.id)).toEqual([eventId]);
    const { key } = await createKey(owner, ["read"]);
    const byKey = await withKey(key, "/api/v1/alerts/events?severity=critical&capability=search");
    expect(((await byKey.json()) as { data: { id: string }[] }).data.map((e) => e.id)).toContain(eventId);
    const none = await as(viewer, "/api/v1/alerts/events?state=resolved");
    expect(((await none.json()) as { data: unknown[] }).data).toEqual([]);
    expect((await as(viewer, "/api/v1/alerts/events?severity=loud")).status).toBe(400);
  });

  it("pages with a cursor", async () => {
    const first = (await (await as(owner, "/api/v1/alerts/events?limit=1")).json()) as {
      data: { id: string }[];
      next_cursor: string | null;
    };
    expect(first.data).toHaveLength(1);
    expect(first.next_cursor).not.toBeNull();
    const second = (await (
      await as(owner, `/api/v1/alerts/events?limit=1&cursor=${first.next_cursor}`)
    ).json()) as { data: { id: string }[] };
    expect(second.data[0]?.id).not.toBe(first.data[0].id);
  });

  it("lets members acknowledge, not viewers, and records who", async () => {
    const ack = (s: Session) => as(s, `/api/v1/alerts/events/${eventId}/acknowledge`, { method: "POST" });
    expect((await ack(viewer)).status).toBe(403);
    const res = await ack(member);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: eventId, state: "firing", acknowledged_by: member.email });
    const audit = await as(owner, "/api/v1/audit/events?event_type=alert_event.acknowledged");
    expect(((await audit.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it("answers 404 for another tenant's incident", async () => {
    expect((await as(other, `/api/v1/alerts/events/${eventId}`)).status).toBe(404);
    expect((await as(other, `/api/v1/alerts/events/${eventId}/acknowledge`, { method: "POST" })).status).toBe(
      404,
    );
    const mine = (await (await as(owner, `/api/v1/alerts/events/${eventId}`)).json()) as { detector: string };
    expect(mine.detector).toBe("spike");
  });
});
