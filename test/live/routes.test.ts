import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { researchTrace } from "../fixtures";
import { call, createKey, type ErrorBody, ingest, type Session, signup } from "../helpers";
import { closeAll, connect, upgradeRequest, viewerWithTraces } from "./sockets";

let owner: Session;
let viewer: Session;
let ownerTrace: string;
let viewerTrace: string;

const open = (path: string, creds: Parameters<typeof upgradeRequest>[1] = {}) =>
  exports.default.fetch(upgradeRequest(path, creds));

beforeAll(async () => {
  owner = await signup();
  const ownerBatch = researchTrace();
  const viewerBatch = researchTrace();
  viewer = (await viewerWithTraces(owner, viewerBatch)).viewer;
  await ingest((await createKey(owner)).key, ownerBatch);
  ownerTrace = ownerBatch.traces[0].id;
  viewerTrace = viewerBatch.traces[0].id;
});

describe("live socket routes", () => {
  it("answers 426 to a request that is not a WebSocket upgrade", async () => {
    for (const path of ["/ws/live", `/ws/traces/${ownerTrace}`]) {
      const res = await call(path, { headers: { cookie: owner.cookie } });
      expect(res.status).toBe(426);
      expect(res.headers.get("upgrade")).toBe("websocket");
      expect(((await res.json()) as ErrorBody).error.code).toBe("upgrade_required");
    }
  });

  it("returns 404 for a trace that does not exist", async () => {
    expect((await open("/ws/traces/no-such-trace", { cookie: owner.cookie })).status).toBe(404);
  });

  it("returns 404 to a viewer for a trace someone else sent, and opens their own", async () => {
    expect((await open(`/ws/traces/${ownerTrace}`, { cookie: viewer.cookie })).status).toBe(404);
    const own = await connect(`/ws/traces/${viewerTrace}`, { cookie: viewer.cookie });
    expect(own.received[0]).toMatchObject({ event: "feed.ready", payload: { scope: "trace" } });
    closeAll(own);
  });

  it("lets the owner open any trace of the tenant", async () => {
    const client = await connect(`/ws/traces/${viewerTrace}`, { cookie: owner.cookie });
    expect(client.received[0].payload).toEqual({ scope: "trace", trace_id: viewerTrace, replayed: 0 });
    closeAll(client);
  });

  it("refuses a cookie socket opened from another origin with 403", async () => {
    const res = await open("/ws/live", { cookie: owner.cookie, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    const same = await connect("/ws/live", { cookie: owner.cookie, headers: { origin: "http://localhost" } });
    closeAll(same);
  });

  it("accepts an API key with the read scope and refuses one without it", async () => {
    const reader = await connect("/ws/live", { key: (await createKey(owner, ["read"])).key });
    expect(reader.received[0].payload).toMatchObject({ scope: "tenant" });
    closeAll(reader);
    expect((await open("/ws/live", { key: (await createKey(owner, ["ingest"])).key })).status).toBe(403);
  });

  it("rejects a since that is not a seq with 400", async () => {
    const res = await open("/ws/live?since=-3", { cookie: owner.cookie });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details?.[0].path).toBe("since");
  });

  it("rejects a frames value other than json or ndjson with 400 naming both", async () => {
    const res = await open("/ws/live?frames=jsonl", { cookie: owner.cookie });
    expect(res.status).toBe(400);
    const [detail] = ((await res.json()) as ErrorBody).error.details ?? [];
    expect(detail?.path).toBe("frames");
    expect(detail?.message).toMatch(/json .*ndjson/);
  });

  it("accepts frames=json and frames=ndjson on both sockets", async () => {
    for (const path of ["/ws/live", `/ws/traces/${ownerTrace}`]) {
      for (const frames of ["json", "ndjson"]) {
        const client = await connect(`${path}?frames=${frames}`, { cookie: owner.cookie });
        expect(client.received[0].event).toBe("feed.ready");
        closeAll(client);
      }
    }
  });

  it("ignores hub headers sent by the client", async () => {
    const client = await connect("/ws/live", {
      cookie: viewer.cookie,
      headers: { "x-hub-role": "owner", "x-hub-user": owner.userId, "x-hub-trace": ownerTrace },
    });
    expect(client.received[0].payload).toEqual({ scope: "own", trace_id: null, replayed: 0 });
    closeAll(client);
  });

  it("documents both sockets in the OpenAPI document", async () => {
    const doc = (await (await call("/api/v1/openapi.json")).json()) as {
      paths: Record<
        string,
        { get?: { responses: Record<string, unknown>; parameters?: { name: string; schema: unknown }[] } }
      >;
      components: { schemas: Record<string, unknown> };
    };
    for (const path of ["/ws/live", "/ws/traces/{traceId}"]) {
      expect(Object.keys(doc.paths[path]?.get?.responses ?? {})).toEqual(
        expect.arrayContaining(["101", "426"]),
      );
    }
    expect(doc.components.schemas).toHaveProperty("LiveMessage");
    const params = doc.paths["/ws/live"]?.get?.parameters ?? [];
    expect(params.find((p) => p.name === "frames")?.schema).toMatchObject({
      enum: ["json", "ndjson"],
      default: "json",
    });
  });
});
