import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { runRetention } from "../../../worker/audit/archive/retention";
import { as, type Session, signup } from "../../helpers";
import {
  chatRefund,
  eventsOfType,
  keyDelete,
  manualUpdate,
  plainRead,
  sha256Hex,
  tenantWithHistory,
} from "./fixtures";

type Page = { data: { seq: number; event_id: string }[]; next_cursor: string | null };
type Day = {
  day: string;
  first_seq: number;
  last_seq: number;
  count: number;
  sha256: string;
  bytes: number;
  pruned_at: string | null;
  manifest: { sha256: string; count: number; checkpoint: string | null; format: string } | null;
};

/** Every filter shape GET /audit/events knows, to hold the archive search to the same answers. */
const QUERIES = [
  "",
  "event_type=refund.*",
  "event_type=customer.update,invoice.delete",
  "event_type=refund",
  "actor_type=ai_assistant",
  "actor=key_7",
  "user=u_1",
  "tool_name=refunds.create",
  "conversation_id=conv_2",
  "outcome=failure",
  "risk=medium",
  "risk=high",
  "target=cus_9",
  "q=refund",
  "q=unicode",
  "q=order 1",
  "q=evil.example",
  "q=smith jr",
  "q=please",
  "q=ops-bot",
  "field=metadata.amount>=50000",
  "field=metadata.amount>abc",
  "field=metadata.amount>=abc",
  "field=metadata.amount<abc",
  "field=metadata.note>abc",
  "field=metadata.urgent=1",
  "field=metadata.amount!=10",
  "field=ai.model=gpt-x",
  "field=actor.display=Ops assistant",
  "field=metadata.amount>5&field=metadata.currency=HUF",
  "from=2019-12-31T00:00:00Z&to=2020-01-02T00:00:00Z",
  "from=2020-01-02T00:00:00Z",
  "actor_type=user&outcome=failure&q=stale",
];

async function all(s: Session, path: string, query: string) {
  const res = await as(s, `/api/v1/audit/${path}?limit=200&${encodeURI(query)}`);
  expect(res.status, `${path}?${query}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as Page;
}

describe("archive queries", () => {
  let s: Session;
  let lastArchived: number;
  const live = new Map<string, string[]>();

  beforeAll(async () => {
    const t = await tenantWithHistory([
      {
        daysAgo: 402,
        events: [chatRefund(), manualUpdate(), chatRefund({ occurred_at: "2020-01-01T10:00:00Z" })],
      },
      {
        daysAgo: 401,
        events: [
          keyDelete(),
          chatRefund({
            metadata: { amount: 1000, currency: "EUR" },
            ai: { conversation_id: "conv_2", model: "gpt-y" },
          }),
        ],
      },
      { daysAgo: 400, events: [plainRead(), manualUpdate({ outcome: "success", error: null })] },
    ]);
    s = t.s;
    lastArchived = (await eventsOfType(s.tenantId, "customer.update")).at(-1)?.seq ?? 0;
    for (const q of QUERIES) {
      const page = await all(s, "events", q);
      live.set(
        q,
        page.data.filter((e) => e.seq <= lastArchived).map((e) => e.event_id),
      );
    }
    const report = await runRetention(env, Date.now(), { tenants: [s.tenantId] });
    expect(report.tenants[0]?.error).toBeUndefined();
  });

  it("finds what the live search found before the days were archived, for every filter", async () => {
    const remaining = await env.DB.prepare("SELECT min(seq) AS s FROM audit_events WHERE tenant_id = ?")
      .bind(s.tenantId)
      .first<{ s: number }>();
    expect(remaining?.s).toBe(lastArchived + 1);
    expect(live.get("")?.length).toBe(lastArchived);
    for (const q of QUERIES) {
      const page = await all(s, "archive/events", q);
      expect(
        page.data.map((e) => e.event_id),
        q,
      ).toEqual(live.get(q));
      expect(page.next_cursor).toBeNull();
    }
    expect(live.get("q=unicode")?.length).toBeGreaterThan(0);
    expect(live.get("field=metadata.note>abc")?.length).toBeGreaterThan(0);
    // SQLite orders numbers before text: every numeric amount is "< abc".
    expect(live.get("field=metadata.amount<abc")?.length).toBe(5);
    expect(live.get("from=2019-12-31T00:00:00Z&to=2020-01-02T00:00:00Z")).toHaveLength(1);
  });

  it("pages newest first with tenant-bound cursors", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/v1/audit/archive/events?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await (await as(s, path)).json()) as Page;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.seq));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: lastArchived }, (_, i) => lastArchived - i));

    const first = (await (await as(s, "/api/v1/audit/archive/events?limit=1")).json()) as Page;
    const other = await signup();
    const stolen = await as(other, `/api/v1/audit/archive/events?cursor=${first.next_cursor}`);
    expect(stolen.status).toBe(404);
  });

  it("lists archived days newest first with their manifests", async () => {
    const res = await as(s, "/api/v1/audit/archive");
    expect(res.status).toBe(200);
    const { data, next_cursor } = (await res.json()) as { data: Day[]; next_cursor: string | null };
    expect(next_cursor).toBeNull();
    expect(data).toHaveLength(3);
    expect(data.map((d) => d.day)).toEqual([...data.map((d) => d.day)].sort().reverse());
    expect(data[0]?.last_seq).toBe(lastArchived);
    expect(data.at(-1)?.first_seq).toBe(1);
    for (const d of data) {
      expect(d.manifest).toMatchObject({ sha256: d.sha256, count: d.count, format: "ndjson.gz" });
      expect(d.manifest?.checkpoint).toContain(`audittrail/${s.tenantId}`);
      expect(d.pruned_at).not.toBeNull();
    }
    const page1 = (await (await as(s, "/api/v1/audit/archive?limit=2")).json()) as {
      data: Day[];
      next_cursor: string;
    };
    const page2 = (await (
      await as(s, `/api/v1/audit/archive?limit=2&cursor=${page1.next_cursor}`)
    ).json()) as {
      data: Day[];
    };
    expect([...page1.data, ...page2.data].map((d) => d.day)).toEqual(data.map((d) => d.day));
  });

  it("serves a day's object as stored, matching its manifest", async () => {
    const { data } = (await (await as(s, "/api/v1/audit/archive")).json()) as { data: Day[] };
    const day = data[1] as Day;
    const res = await as(s, `/api/v1/audit/archive/days/${day.day}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    const bytes = await res.arrayBuffer();
    expect(bytes.byteLength).toBe(day.bytes);
    expect(await sha256Hex(bytes)).toBe(day.manifest?.sha256);
    expect(res.headers.get("x-audit-sha256")).toBe(day.sha256);
    expect((await as(s, "/api/v1/audit/archive/days/1999-01-01")).status).toBe(404);
    expect((await as(s, "/api/v1/audit/archive/days/..%2F..%2Fx")).status).toBe(400);
  });

  it("shows another tenant nothing of ours", async () => {
    const other = await signup();
    expect(((await (await as(other, "/api/v1/audit/archive")).json()) as { data: Day[] }).data).toEqual([]);
    expect((await all(other, "archive/events", "")).data).toEqual([]);
  });

  it("refuses bad filters with 400", async () => {
    expect((await as(s, "/api/v1/audit/archive/events?field=nope")).status).toBe(400);
    expect((await as(s, "/api/v1/audit/archive/events?risk=extreme")).status).toBe(400);
    expect((await as(s, "/api/v1/audit/archive?limit=0")).status).toBe(400);
    expect((await as(s, "/api/v1/audit/archive/events?q=%27")).status).toBe(400);
    expect((await as(s, "/api/v1/audit/archive/events?limit=201")).status).toBe(400);
  });
});
