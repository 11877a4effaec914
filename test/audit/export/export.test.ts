import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { as, type Session, signup } from "../../helpers";
import {
  chatRefund,
  keyDelete,
  manualUpdate,
  parseCsv,
  plainRead,
  post,
  sha256Hex,
  type Writer,
  writer,
} from "../archive/fixtures";

type Event = {
  seq: number;
  event_id: string;
  event_type: string;
  crud: string;
  tenant_id: string;
  actor: { type: string; id: string; display?: string };
  reason: string | null;
  metadata: Record<string, unknown>;
  integrity: { leaf_hash: string };
};
type Manifest = {
  export_id: string;
  tenant_id: string;
  format: string;
  filters: Record<string, unknown>;
  created_at: string;
  range: { first_seq: number | null; last_seq: number | null; from: string | null; to: string | null };
  count: number;
  bytes: number;
  sha256: string;
  checkpoint: string | null;
};

type Ocsf = {
  class_uid: number;
  category_uid: number;
  activity_id: number;
  type_uid: number;
  time: number;
  ai_model?: unknown;
  message_context?: unknown;
  metadata: {
    version: string;
    product: unknown;
    tenant_uid: string;
    logged_time: number;
    original_time: string;
  };
};

/** Our four events only: sign-up, key creation and earlier exports are audit events too. */
const MINE = "event_type=refund.initiate,customer.update,invoice.delete,report.view";

const exportOf = (s: Session, query: string) => as(s, `/api/v1/audit/export?${query}`);

async function download(s: Session, query: string) {
  const res = await exportOf(s, query);
  expect(res.status, await res.clone().text()).toBe(200);
  const bytes = await res.arrayBuffer();
  return {
    res,
    bytes,
    text: new TextDecoder().decode(bytes),
    id: res.headers.get("x-audit-export-id") ?? "",
  };
}

async function manifestOf(s: Session, exportId: string) {
  const res = await as(s, `/api/v1/audit/exports/${exportId}/manifest`);
  return { status: res.status, body: (await res.json()) as Manifest };
}

const lines = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("GET /api/v1/audit/export", () => {
  let w: Writer;
  let stored: Event[];

  beforeAll(async () => {
    w = await writer();
    await post(w.key, [chatRefund(), manualUpdate(), keyDelete(), plainRead()]);
    const res = await as(w.s, `/api/v1/audit/events?limit=100&${MINE}`);
    stored = ((await res.json()) as { data: Event[] }).data.reverse();
  });

  it("streams NDJSON in seq order, one stored event per line, as an attachment", async () => {
    const { res, text, id } = await download(w.s, `format=ndjson&${MINE}`);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="audit-${id}.ndjson"`);
    expect(id).toMatch(/^exp_[0-9A-Z]{26}$/);
    expect(lines(text)).toEqual(stored);
  });

  it("writes one JSON array with the same events", async () => {
    const { res, text } = await download(w.s, `format=json&${MINE}`);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(text)).toEqual(stored);
  });

  it("writes CSV with a header, flat columns, escaped cells and formula injection defused", async () => {
    const { res, text, id } = await download(w.s, `format=csv&${MINE}`);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(`audit-${id}.csv`);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      "seq",
      "event_id",
      "occurred_at",
      "received_at",
      "event_type",
      "crud",
      "actor_type",
      "actor_id",
      "actor_display",
      "on_behalf_of",
      "channel",
      "outcome",
      "error",
      "targets",
      "reason",
      "conversation_id",
      "tool_name",
      "risk",
      "leaf_hash",
      "event",
    ]);
    expect(rows).toHaveLength(stored.length);
    const col = (row: string[] | undefined, name: string) => row?.[header?.indexOf(name) ?? -1];
    const byType = (type: string) => rows.find((r) => col(r, "event_type") === type);

    const update = byType("customer.update");
    expect(col(update, "reason")).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(col(update, "actor_display")).toBe('Smith, "Bob"\nJr.');
    expect(col(update, "error")).toBe("conflict: stale, version");
    expect(col(update, "outcome")).toBe("failure");

    const del = byType("invoice.delete");
    expect(col(del, "actor_display")).toBe("'-1+2 billing");
    expect(col(del, "reason")).toBe("'+cleanup @ night");
    expect(col(del, "targets")).toBe("invoice:inv_1; customer:cus_9");

    const chat = byType("refund.initiate");
    expect(col(chat, "conversation_id")).toBe("conv_1");
    expect(col(chat, "tool_name")).toBe("refunds.create");
    expect(col(chat, "risk")).toBe("medium");
    expect(col(chat, "on_behalf_of")).toBe("u_1");

    // Nothing is lost: the last column is the whole event, the same as the NDJSON line.
    expect(rows.map((r) => JSON.parse(col(r, "event") ?? "null"))).toEqual(stored);
    expect(rows.map((r) => Number(col(r, "seq")))).toEqual(stored.map((e) => e.seq));
    expect(rows.map((r) => col(r, "leaf_hash"))).toEqual(stored.map((e) => e.integrity.leaf_hash));
  });

  it("maps events to OCSF API Activity with the ai_operation profile", async () => {
    const { text } = await download(w.s, `format=ocsf&${MINE}`);
    const ocsf = lines(text) as Ocsf[];
    expect(ocsf).toHaveLength(stored.length);
    for (const o of ocsf) {
      expect(o.class_uid).toBe(6003);
      expect(o.category_uid).toBe(6);
      expect(o.type_uid).toBe(600300 + o.activity_id);
      expect(o.metadata.version).toBe("1.8.0");
      expect(o.metadata.product).toEqual({ name: "AuditTrail", vendor_name: "AuditTrail" });
      expect(o.metadata.tenant_uid).toBe(w.s.tenantId);
    }
    const [chat, update, del, read] = ocsf;
    expect([chat, update, del, read].map((o) => o?.activity_id)).toEqual([1, 3, 4, 2]);
    expect(chat).toMatchObject({
      activity_name: "Create",
      type_uid: 600301,
      severity_id: 3,
      status_id: 1,
      api: { operation: "refund.initiate", request: { uid: "req_1" } },
      actor: { app_uid: "ai_assistant:u_1", app_name: "Ops assistant", user: { uid: "u_1" } },
      resources: [{ type: "order", uid: "ord_1", name: "Order Ünïcode 1" }],
      src_endpoint: { ip: "203.0.113.9" },
      http_request: { user_agent: "ops-bot/1.2" },
      ai_model: { name: "gpt-x" },
      message_context: { uid: "conv_1" },
      metadata: {
        uid: stored[0]?.event_id,
        sequence: stored[0]?.seq,
        correlation_uid: "trace_1",
        profiles: ["ai_operation"],
      },
      unmapped: {
        channel: "chat",
        actor_type: "ai_assistant",
        metadata: { amount: 62000, currency: "HUF", urgent: true },
        ai: { message_id: "msg_1", tool_name: "refunds.create", prompt: "refund order 1 please" },
        integrity: { leaf_hash: stored[0]?.integrity.leaf_hash },
      },
    });
    expect(typeof chat?.time).toBe("number");
    expect(typeof chat?.metadata.logged_time).toBe("number");
    expect(chat?.metadata.original_time).toMatch(/Z$/);
    expect(update).toMatchObject({
      type_uid: 600303,
      status_id: 2,
      status_code: "conflict",
      status_detail: "stale, version",
      actor: { user: { uid: "u_2", name: 'Smith, "Bob"\nJr.' } },
      message: '=HYPERLINK("http://evil.example","click")',
    });
    expect(update?.ai_model).toBeUndefined();
    expect(update?.message_context).toBeUndefined();
    expect(del).toMatchObject({ type_uid: 600304, severity_id: 4, actor: { app_uid: "key_7" } });
    expect(read).toMatchObject({ type_uid: 600302, severity_id: 1, resources: [] });
  });

  it("writes a manifest whose sha256, length and count match the downloaded bytes", async () => {
    const { bytes, id } = await download(w.s, `format=csv&${MINE}`);
    const { status, body } = await manifestOf(w.s, id);
    expect(status).toBe(200);
    expect(body.sha256).toBe(await sha256Hex(bytes));
    expect(body.bytes).toBe(bytes.byteLength);
    expect(body).toMatchObject({
      export_id: id,
      tenant_id: w.s.tenantId,
      format: "csv",
      filters: { event_type: ["refund.initiate", "customer.update", "invoice.delete", "report.view"] },
      count: stored.length,
      range: { first_seq: stored[0]?.seq, last_seq: stored.at(-1)?.seq },
    });
    expect(Date.parse(body.range.from ?? "")).toBeLessThanOrEqual(Date.parse(body.range.to ?? ""));
    // The signed note: origin, tree size covering the last exported seq, root hash, signatures.
    const [origin, size] = (body.checkpoint ?? "").split("\n");
    expect(origin).toBe(`audittrail/${w.s.tenantId}`);
    expect(Number(size)).toBeGreaterThanOrEqual(stored.at(-1)?.seq ?? 0);
  });

  it("records the export as an audit event before the body is read, without putting it in the file", async () => {
    const res = await exportOf(
      w.s,
      "format=ndjson&event_type=refund.*,invoice.delete&field=metadata.amount>5",
    );
    const id = res.headers.get("x-audit-export-id");
    const events = await as(w.s, "/api/v1/audit/events?event_type=audit.export&limit=100");
    const mine = ((await events.json()) as { data: Event[] }).data.find((e) => e.metadata.export_id === id);
    expect(mine).toMatchObject({
      crud: "r",
      actor: { type: "user", id: w.s.userId },
      metadata: {
        format: "ndjson",
        filter_event_type: "refund.*,invoice.delete",
        filter_field: "metadata.amount>5",
      },
    });
    const got = lines(await res.text());
    expect(got.map((e) => e.event_type)).toEqual(["refund.initiate", "invoice.delete"]);
    expect(got.some((e) => e.event_type === "audit.export")).toBe(false);
  });

  it("applies the filters and records them in the manifest", async () => {
    const { text, id } = await download(w.s, "format=ndjson&actor_type=user&outcome=failure");
    expect(lines(text).map((e) => e.event_type)).toEqual(["customer.update"]);
    const { body } = await manifestOf(w.s, id);
    expect(body.filters).toEqual({ actor_type: "user", outcome: "failure" });
    expect(body.count).toBe(1);
  });

  it("writes [] and a zero-count manifest when nothing matches", async () => {
    const { text, id, bytes } = await download(w.s, "format=json&conversation_id=none");
    expect(JSON.parse(text)).toEqual([]);
    const { body } = await manifestOf(w.s, id);
    expect(body).toMatchObject({
      count: 0,
      range: { first_seq: null, last_seq: null, from: null, to: null },
    });
    expect(body.sha256).toBe(await sha256Hex(bytes));
  });

  it("has no manifest until the body has been read to the end", async () => {
    const res = await exportOf(w.s, "format=ndjson");
    const id = res.headers.get("x-audit-export-id") ?? "";
    expect((await manifestOf(w.s, id)).status).toBe(404);
    await res.arrayBuffer();
    expect((await manifestOf(w.s, id)).status).toBe(200);
  });

  it("refuses a bad format or filter with 400 and records and writes nothing", async () => {
    const count = async () =>
      (
        await env.DB.prepare(
          "SELECT count(*) AS n FROM audit_events WHERE tenant_id = ? AND event_type = 'audit.export'",
        )
          .bind(w.s.tenantId)
          .first<{ n: number }>()
      )?.n;
    const objects = async () =>
      (await env.ARCHIVE.list({ prefix: `audit/${w.s.tenantId}/exports/` })).objects.length;
    const before = [await count(), await objects()];
    for (const query of [
      "format=xml",
      "format=csv&field=nope>1",
      "from=yesterday",
      "risk=extreme",
      "q=%27",
    ]) {
      const res = await exportOf(w.s, query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("x-audit-export-id")).toBeNull();
    }
    expect([await count(), await objects()]).toEqual(before);
  });

  it("needs an owner or admin, or a read key", async () => {
    expect((await as({ ...w.s, cookie: "at_session=nope" }, "/api/v1/audit/export")).status).toBe(401);
  });

  it("keeps tenants apart: another tenant's export holds none of ours", async () => {
    const other = await signup();
    expect((await as(other, "/api/v1/audit/exports/not-an-id/manifest")).status).toBe(400);
    const theirs = await download(other, "format=ndjson");
    const ours = new Set(stored.map((e) => e.event_id));
    expect(
      lines(theirs.text).filter((e) => ours.has(e.event_id as string) || e.tenant_id === w.s.tenantId),
    ).toEqual([]);
  });

  it("pages through D1: 1,050 events come out whole and in order", async () => {
    const big = await writer();
    for (let i = 0; i < 1050; i += 100) {
      const n = Math.min(100, 1050 - i);
      await post(
        big.key,
        Array.from({ length: n }, (_, j) => plainRead({ reason: `n${i + j}` })),
      );
    }
    const { text, id, bytes } = await download(big.s, "format=ndjson&event_type=report.view");
    const got = lines(text);
    expect(got.map((e) => e.reason)).toEqual(Array.from({ length: 1050 }, (_, i) => `n${i}`));
    const { body } = await manifestOf(big.s, id);
    expect(body.count).toBe(1050);
    expect(body.sha256).toBe(await sha256Hex(bytes));
    expect(body.range.last_seq).toBe(got.at(-1)?.seq);
  });
});
