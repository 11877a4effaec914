// The fleet API: Overview, Workspace and Capability figures read from the rollups agree with the
// traffic sent; filters, drill-down to traces, bad input, roles, scopes and tenant isolation.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, dayOf } from "../../worker/analytics/facts";
import { as, createKey, type ErrorBody, ingest, type Session, signup, unique, withKey } from "../helpers";
import { inviteViewer } from "../live/sockets";
import { foldAll } from "./fold-helpers";

type Sent = {
  id: string;
  capability: string;
  workspace: string;
  provider: string;
  start: number;
  ms: number;
  error: boolean;
};

const now = Date.now();
const today = dayOf(now);
const sent: Sent[] = [];
let owner: Session;
let key: string;

/** 5 days of traffic: `search` busy, `triage` failing often, `billing` new today; three workspaces. */
function traffic(): { traces: object[]; spans: object[] } {
  const traces: object[] = [];
  const spans: object[] = [];
  let n = 0;
  for (let day = 4; day >= 0; day--) {
    for (const [capability, count] of [
      ["search", 12],
      ["triage", 6],
      ["billing", day === 0 ? 4 : 0],
    ] as const) {
      for (let i = 0; i < count; i++) {
        const id = unique(`fleet-${capability}`);
        const start = Math.min(today - day * DAY_MS + 3_600_000 + i * 60_000, now - 60_000 - i * 1000);
        const ms = 100 + ((n * 37) % 900);
        const workspace = ["ws-north", "ws-south", "ws-east"][n % 3] as string;
        const provider = capability === "triage" ? "anthropic" : "openai";
        const error = capability === "triage" ? i % 3 === 0 : false;
        n++;
        sent.push({ id, capability, workspace, provider, start, ms, error });
        traces.push({
          id,
          agent: "fleet-agent",
          started_at: start,
          ended_at: start + ms,
          status: error ? "error" : "ok",
          metadata: { capability, workspace_id: workspace },
          input: "x".repeat(10 + i),
        });
        spans.push({
          id: `${id}-llm`,
          trace_id: id,
          type: "llm",
          name: "call",
          provider,
          model: "m",
          started_at: start,
          ended_at: start + ms,
          input_tokens: 10,
          output_tokens: 3,
        });
      }
    }
  }
  return { traces, spans };
}

beforeAll(async () => {
  owner = await signup();
  key = (await createKey(owner)).key;
  await ingest(key, traffic());
  await foldAll(owner.tenantId);
}, 60_000);

const get = <T>(path: string) =>
  as(owner, path).then(async (r) => ({ status: r.status, body: (await r.json()) as T }));

type Overview = {
  kpis: {
    interactions_24h: number;
    active_workspaces_7d: number;
    error_rate_24h: number | null;
    p95_ms_24h: number | null;
  };
  interactions_by_capability: { key: string; points: { day: string; value: number }[] }[];
  provider_mix: { provider: string; interactions: number }[];
  capabilities: { capability: string; interactions: number; errors: number }[];
  freshness: { state: string; lag_ms: number; rows_folded: number };
  providers: string[];
};

const exactQuantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] as number;

describe("GET /api/v1/analytics/overview", () => {
  it("reads the KPIs as a BI user does", async () => {
    const { status, body } = await get<Overview>("/api/v1/analytics/overview");
    expect(status).toBe(200);
    const last24 = sent.filter((s) => s.start >= Math.floor(now / 3_600_000) * 3_600_000 - 23 * 3_600_000);
    expect(body.kpis.interactions_24h).toBe(last24.length);
    expect(body.kpis.error_rate_24h).toBeCloseTo(last24.filter((s) => s.error).length / last24.length, 10);
    const p95 = exactQuantile(
      last24.map((s) => s.ms),
      0.95,
    );
    expect(Math.abs((body.kpis.p95_ms_24h ?? 0) - p95) / p95).toBeLessThanOrEqual(0.011);
    expect(body.kpis.active_workspaces_7d).toBe(3);
    expect(body.capabilities.map((c) => c.capability)).toEqual(["search", "triage", "billing"]);
    expect(body.capabilities.find((c) => c.capability === "triage")?.errors).toBe(
      sent.filter((s) => s.error).length,
    );
    expect(body.provider_mix).toEqual([
      { provider: "openai", interactions: sent.filter((s) => s.provider === "openai").length },
      { provider: "anthropic", interactions: sent.filter((s) => s.provider === "anthropic").length },
    ]);
    const search = body.interactions_by_capability.find((s) => s.key === "search");
    expect(search?.points).toHaveLength(7);
    expect(search?.points.at(-1)?.value).toBe(
      sent.filter((s) => s.capability === "search" && s.start >= today).length,
    );
    expect(body.freshness.state).toBe("fresh");
    expect(body.freshness.rows_folded).toBeGreaterThanOrEqual(sent.length);
  });

  it("filters by provider and capability", async () => {
    const { body } = await get<Overview>("/api/v1/analytics/overview?provider=anthropic");
    expect(body.capabilities.map((c) => c.capability)).toEqual(["triage"]);
    expect(body.providers).toEqual(["anthropic", "openai"]);
    const one = await get<Overview>("/api/v1/analytics/overview?capability=billing");
    expect(one.body.capabilities).toEqual([
      expect.objectContaining({ capability: "billing", interactions: 4 }),
    ]);
    expect(one.body.kpis.active_workspaces_7d).toBe(3);
  });

  it("rejects a bad range with the field that was wrong", async () => {
    const res = await as(
      owner,
      `/api/v1/analytics/overview?from=${new Date(now).toISOString()}&to=${new Date(now - DAY_MS).toISOString()}`,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details?.[0]?.path).toBe("from");
    const long = await as(
      owner,
      `/api/v1/analytics/overview?from=${new Date(now - 200 * DAY_MS).toISOString()}`,
    );
    expect(long.status).toBe(400);
    const junk = await as(owner, "/api/v1/analytics/overview?from=yesterday");
    expect(junk.status).toBe(400);
  });
});

describe("GET /api/v1/analytics/workspaces", () => {
  type Workspaces = {
    workspaces: {
      workspace: string;
      interactions: number;
      errors: number;
      flagged: boolean;
      capabilities: number;
      inactive: boolean;
    }[];
    heatmap: { day: string; workspace: string; interactions: number }[];
    days: string[];
  };
  it("ranks workspaces and flags those over the error target", async () => {
    const { status, body } = await get<Workspaces>("/api/v1/analytics/workspaces");
    expect(status).toBe(200);
    expect(body.workspaces).toHaveLength(3);
    for (const w of body.workspaces) {
      const mine = sent.filter((s) => s.workspace === w.workspace);
      expect(w.interactions).toBe(mine.length);
      expect(w.errors).toBe(mine.filter((s) => s.error).length);
      expect(w.flagged).toBe(w.errors / w.interactions > 0.05);
      expect(w.capabilities).toBe(new Set(mine.map((s) => s.capability)).size);
      expect(w.inactive).toBe(false);
    }
    expect(body.heatmap.reduce((n, h) => n + h.interactions, 0)).toBe(sent.length);
    expect(body.days).toHaveLength(7);
    const inactive = await get<Workspaces>("/api/v1/analytics/workspaces?inactive=true");
    expect(inactive.body.workspaces).toEqual([]);
  });
});

describe("GET /api/v1/analytics/capabilities", () => {
  type Capabilities = {
    kpis: { new_capabilities_7d: number };
    table: {
      day: string;
      capability: string;
      interactions: number;
      state: string;
      median_7d: number | null;
    }[];
    outcomes: { capability: string; success: number; failure: number }[];
    scatter: { trace_id: string; prompt_chars: number; duration_ms: number }[];
    latency: { day: string; p50_ms: number | null }[];
    new_capabilities: { capability: string }[];
  };
  it("tables each day and capability with its deviation state", async () => {
    const { status, body } = await get<Capabilities>("/api/v1/analytics/capabilities");
    expect(status).toBe(200);
    expect(body.new_capabilities.map((c) => c.capability).sort()).toEqual(["billing", "search", "triage"]);
    const billing = body.table.find((r) => r.capability === "billing");
    expect(billing).toMatchObject({ interactions: 4, state: "new" });
    const triage = body.outcomes.find((o) => o.capability === "triage");
    expect(triage?.failure).toBe(sent.filter((s) => s.error).length);
    expect(body.scatter.length).toBe(sent.length);
    expect(body.latency).toHaveLength(7);
  });
});

describe("drill-down to traces", () => {
  it("lists exactly the traces behind a capability, workspace and provider", async () => {
    const res = await as(owner, "/api/v1/traces?capability=triage&limit=200");
    const { data } = (await res.json()) as { data: { id: string }[] };
    expect(data.map((t) => t.id).sort()).toEqual(
      sent
        .filter((s) => s.capability === "triage")
        .map((s) => s.id)
        .sort(),
    );
    const both = await as(owner, "/api/v1/traces?workspace=ws-north&provider=openai&limit=200");
    const list = ((await both.json()) as { data: { id: string }[] }).data;
    expect(list.map((t) => t.id).sort()).toEqual(
      sent
        .filter((s) => s.workspace === "ws-north" && s.provider === "openai")
        .map((s) => s.id)
        .sort(),
    );
  });
});

describe("access", () => {
  const paths = [
    "/api/v1/analytics/overview",
    "/api/v1/analytics/workspaces",
    "/api/v1/analytics/capabilities",
  ];

  it("another tenant sees none of it", async () => {
    const other = await signup();
    for (const path of paths) {
      const res = await as(other, path);
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).not.toContain("ws-north");
    }
    const traces = await as(other, "/api/v1/traces?capability=triage");
    expect(((await traces.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("is open to read keys, closed to viewers and to keys without read", async () => {
    const viewer = await inviteViewer(owner);
    const ingestOnly = (await createKey(owner, ["ingest"])).key;
    for (const path of paths) {
      expect((await withKey(key, path)).status).toBe(200);
      expect((await as(viewer, path)).status).toBe(403);
      expect((await withKey(ingestOnly, path)).status).toBe(403);
    }
  });
});

describe("POST /api/v1/analytics/repair", () => {
  const body = { from: new Date(now - 3 * DAY_MS).toISOString(), to: new Date(now).toISOString() };
  const auditCount = async () =>
    Number(
      (
        await env.DB.prepare(
          "SELECT count(*) AS n FROM audit_events WHERE tenant_id = ? AND event_type = 'analytics.repair'",
        )
          .bind(owner.tenantId)
          .first<{ n: number }>()
      )?.n,
    );

  it("queues a recomputation of whole days and audits it", async () => {
    const res = await as(owner, "/api/v1/analytics/repair", { method: "POST", json: body });
    expect(res.status).toBe(202);
    const out = (await res.json()) as { from: string; to: string };
    expect(out.from).toBe(new Date(dayOf(now - 3 * DAY_MS)).toISOString());
    expect(await auditCount()).toBe(1);
  });

  it("rejects bad windows, members, viewers and keys, writing nothing", async () => {
    const bad = await as(owner, "/api/v1/analytics/repair", {
      method: "POST",
      json: { from: body.to, to: body.from },
    });
    expect(bad.status).toBe(400);
    const extra = await as(owner, "/api/v1/analytics/repair", {
      method: "POST",
      json: { ...body, all: true },
    });
    expect(extra.status).toBe(400);
    const member = await inviteViewer(owner, "member");
    expect((await as(member, "/api/v1/analytics/repair", { method: "POST", json: body })).status).toBe(403);
    expect((await withKey(key, "/api/v1/analytics/repair", { method: "POST", json: body })).status).toBe(403);
    expect(await auditCount()).toBe(1);
  });
});
