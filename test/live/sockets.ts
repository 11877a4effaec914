import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { FRAME_SEPARATOR, type HubEvent, LiveMessage } from "../../worker/live/protocol";
import { publishToHub } from "../../worker/live/publish";
import { as, BASE, call, createKey, ingest, type Session, unique } from "../helpers";

export type LiveClient = {
  ws: WebSocket;
  /** Every message so far, each checked against the shared protocol schema. */
  received: LiveMessage[];
  /** Text frames received (each holds one message, or with `?frames=ndjson` one or more). */
  frames: number;
  /** How many messages each frame held, in order. */
  perFrame: number[];
  /** Answers to the text `ping`. */
  pongs: number;
  closed: Promise<CloseEvent>;
};

type Credentials = { cookie?: string; key?: string; headers?: Record<string, string> };

export function upgradeRequest(path: string, creds: Credentials = {}): Request {
  const headers = new Headers({ upgrade: "websocket", ...creds.headers });
  if (creds.cookie) headers.set("cookie", creds.cookie);
  if (creds.key) headers.set("authorization", `Bearer ${creds.key}`);
  return new Request(`${BASE}${path}`, { headers });
}

/**
 * The messages of one frame, strictly (parseFrame skips what it does not know): every message must
 * be the shared protocol, and a default frame must be exactly one JSON value, as `JSON.parse` reads it.
 */
function readFrame(text: string, ndjson: boolean): LiveMessage[] {
  const values: unknown[] = ndjson
    ? text.split(FRAME_SEPARATOR).map((l) => JSON.parse(l))
    : [JSON.parse(text)];
  return values.map((v) => LiveMessage.parse(v));
}

/** Opens a socket and waits for `feed.ready`, so whatever is published next reaches it. */
export async function connect(path: string, creds: Credentials = {}): Promise<LiveClient> {
  const res = await exports.default.fetch(upgradeRequest(path, creds));
  expect(res.status, await errorText(res)).toBe(101);
  const ws = res.webSocket as WebSocket;
  const ndjson = new URL(path, BASE).searchParams.get("frames") === "ndjson";
  const client: LiveClient = { ws, received: [], frames: 0, perFrame: [], pongs: 0, closed: closeOf(ws) };
  ws.addEventListener("message", (e) => {
    if (e.data === "pong") {
      client.pongs += 1;
      return;
    }
    const messages = readFrame(String(e.data), ndjson);
    client.frames += 1;
    client.perFrame.push(messages.length);
    client.received.push(...messages);
  });
  ws.accept();
  await waitFor(client, (m) => m.event === "feed.ready");
  return client;
}

const closeOf = (ws: WebSocket) =>
  new Promise<CloseEvent>((resolve) => ws.addEventListener("close", resolve, { once: true }));

async function errorText(res: Response): Promise<string> {
  return res.status === 101 ? "" : `HTTP ${res.status} ${await res.clone().text()}`;
}

/** The first frame matching `match` (polling; frames arrive asynchronously). */
export async function waitFor(
  client: LiveClient,
  match: (m: LiveMessage) => boolean,
  timeoutMs = 3000,
): Promise<LiveMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = client.received.find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no matching frame; got ${JSON.stringify(client.received.map((m) => m.event))}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Feed events only (no control frames, no sentinels), as `event:id` for compact assertions. */
export function feed(client: LiveClient): string[] {
  return client.received
    .filter((m) => m.event !== "feed.ready" && m.event !== "replay.gap")
    .map(
      (m) =>
        `${m.event}:${"id" in m.payload ? m.payload.id : "evaluation_id" in m.payload ? m.payload.evaluation_id : m.payload.event_id}`,
    )
    .filter((line) => !line.includes(":sentinel-"));
}

export function spanEvent(traceId: string, spanId: string, owner: string | null): HubEvent {
  const at = new Date().toISOString();
  return {
    event: "span.created",
    traceId,
    ownerUserId: owner,
    payload: {
      id: spanId,
      trace_id: traceId,
      parent_id: null,
      type: "llm",
      name: `call ${spanId}`,
      status: "ok",
      started_at: at,
      ended_at: at,
      duration_ms: 0,
      model: "gpt-4o-mini",
      tool_name: null,
      usage: { input_tokens: 1, output_tokens: 1, cost_usd: null },
    },
  };
}

/**
 * Publishes events, then a sentinel the client can see (its owner, in `traceId` if given): once the
 * sentinel arrives, everything published before it that the client was going to get has arrived.
 */
export async function publishAndSettle(
  tenantId: string,
  events: HubEvent[],
  client: LiveClient,
  sentinel: { owner: string | null; traceId?: string },
) {
  await publishToHub(env, tenantId, events);
  const id = unique("sentinel");
  await publishToHub(env, tenantId, [spanEvent(sentinel.traceId ?? id, id, sentinel.owner)]);
  await waitFor(client, (m) => m.event === "span.created" && m.payload.id === id);
}

/** A user of the owner's tenant (a viewer unless said otherwise), signed in through an invitation. */
export async function inviteViewer(owner: Session, role = "viewer"): Promise<Session> {
  const email = `${unique(role)}@example.com`;
  const invited = await as(owner, "/api/v1/users/invitations", { method: "POST", json: { email, role } });
  expect(invited.status).toBe(201);
  const { token } = (await invited.json()) as { token: string };
  const res = await call("/api/v1/auth/accept-invitation", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": unique("ip") },
    body: JSON.stringify({ token, password: "viewer password long" }),
  });
  expect(res.status).toBe(201);
  const me = (await res.json()) as { csrf_token: string; tenant: { id: string }; user: { id: string } };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  return { cookie, csrf: me.csrf_token, tenantId: me.tenant.id, userId: me.user.id, email };
}

export const closeAll = (...clients: LiveClient[]) => {
  for (const c of clients) c.ws.close(1000, "test done");
};

/**
 * A viewer with traces of their own: viewers cannot send traces, so the user sends them as a
 * member and is then made a viewer (their key then only reads).
 */
export async function viewerWithTraces(owner: Session, ...batches: unknown[]) {
  const viewer = await inviteViewer(owner, "member");
  const { key } = await createKey(viewer, ["ingest", "read"]);
  for (const batch of batches) await ingest(key, batch);
  const demoted = await as(owner, `/api/v1/users/${viewer.userId}`, {
    method: "PATCH",
    json: { role: "viewer" },
  });
  expect(demoted.status).toBe(200);
  return { viewer, key };
}
