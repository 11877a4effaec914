import { DurableObject } from "cloudflare:workers";
import {
  FRAME_SEPARATOR,
  type HubEvent,
  type LiveFeedReady,
  type LiveFrames,
  type LiveReplayGap,
} from "./protocol";
import { type BufferedEvent, MAX_AGE_MS, ReplayBuffer } from "./replay-buffer";
import {
  type HubSocket,
  parseConnect,
  scopeName,
  sees,
  socketTag,
  TENANT_TAG,
  traceTag,
  userTag,
} from "./scope";

/** Slack so the prune alarm never fires a moment before its oldest event is due. */
const ALARM_SLACK_MS = 1_000;
/** `ndjson` frames are packed up to this size, well under the platform's per-message limit. */
const MAX_FRAME_CHARS = 256 * 1024;

/**
 * One per tenant (`idFromName(tenantId)`): the tenant's live sockets (hibernatable, so idle
 * connections cost nothing), the seq counter and the replay buffer. The Worker has authenticated
 * the caller and checked the tenant before it reaches `fetch`; `publish` is the RPC features call.
 */
export class TenantHub extends DurableObject<Env> {
  readonly #buffer: ReplayBuffer;
  readonly #sockets = new WeakMap<WebSocket, HubSocket>();
  #alarmAt: number | null = null;
  #lastListenerAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#buffer = new ReplayBuffer(ctx.storage.sql);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    void ctx.blockConcurrencyWhile(async () => {
      this.#buffer.init();
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** Only WebSocket upgrades, built by the Worker (worker/live/connect.ts). */
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const connect = parseConnect(request.headers);
    if (!connect) return new Response("Bad hub connect headers", { status: 400 });
    const { since, ...socket } = connect;
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [socketTag(socket)]);
    server.serializeAttachment(socket);
    this.#sockets.set(server, socket);
    this.#noteListener(Date.now());
    this.#catchUp(server, socket, since);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Assigns seqs, stores the events for replay and sends each to the sockets that may see it. */
  async publish(events: HubEvent[]): Promise<number> {
    if (!events.length) return this.#buffer.head;
    const now = Date.now();
    if (this.#quiet(now)) {
      // Nobody listens and nobody can resume from within the replay window: count, don't store.
      this.#buffer.skip(events.length);
      return this.#buffer.head;
    }
    this.#fanOut(this.#buffer.append(events, now));
    await this.#armAlarm();
    return this.#buffer.head;
  }

  /**
   * Asked before a batch of `count` events is built: true when someone may receive them (then
   * `publish` them). False when the hub is quiet: their seqs are counted here, so nothing is sent.
   */
  async offer(count: number): Promise<boolean> {
    if (!this.#quiet(Date.now())) return true;
    if (count > 0) this.#buffer.skip(count);
    return false;
  }

  /** No socket now, and none connected within the replay window. */
  #quiet(now: number): boolean {
    if (this.ctx.getWebSockets().length > 0) return false;
    if (this.#lastListenerAt === null) this.#lastListenerAt = this.#buffer.lastListenerAt;
    return now - this.#lastListenerAt > MAX_AGE_MS;
  }

  #noteListener(now: number): void {
    this.#lastListenerAt = now;
    this.#buffer.lastListenerAt = now;
  }

  /** Closes a user's sockets (removed, role changed): they reconnect and are authorized afresh. */
  async disconnectUser(userId: string): Promise<number> {
    const theirs = this.ctx.getWebSockets().filter((ws) => this.#socketOf(ws).userId === userId);
    for (const ws of theirs) closeQuietly(ws, 1008, "Access changed; reconnect");
    return theirs.length;
  }

  /** Clients send nothing but `ping`, which the runtime answers without waking the hub. */
  async webSocketMessage(): Promise<void> {}

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#noteListener(Date.now());
    closeQuietly(ws, code, reason);
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    this.#noteListener(Date.now());
    closeQuietly(ws, 1011, "Socket error");
  }

  /** Drops events older than the replay window even when nothing new arrives to trigger a prune. */
  async alarm(): Promise<void> {
    this.#alarmAt = null;
    this.#buffer.prune(Date.now());
    await this.#armAlarm();
  }

  /**
   * Missed events, then `feed.ready`. Runs before any await, so no publish can slip in between
   * the replay and the live events that follow it.
   */
  #catchUp(ws: WebSocket, scope: HubSocket, since: number | null): void {
    const gap = since === null ? null : this.#buffer.gap(since);
    const missed = since === null ? [] : this.#buffer.after(since).filter((e) => sees(scope, e));
    const ready: LiveFeedReady = {
      scope: scopeName(scope),
      trace_id: scope.traceId,
      replayed: missed.length,
    };
    const lines = [
      ...(gap ? [control("replay.gap", gap.payload, gap.seq)] : []),
      ...missed.map((e) => e.frame),
      control("feed.ready", ready, this.#buffer.head),
    ];
    sendAll(ws, cut(lines, scope.frames));
  }

  /** An `ndjson` socket gets one frame per publish (usually), a `json` socket one per event. */
  #fanOut(stored: BufferedEvent[]): void {
    const lines = stored.map((e) => e.frame);
    // What a tenant-wide socket gets, cut once per framing however many such sockets there are.
    const whole = new Map<LiveFrames, string[]>();
    const wholeFeed = (frames: LiveFrames) => {
      const cached = whole.get(frames) ?? cut(lines, frames);
      whole.set(frames, cached);
      return cached;
    };
    for (const ws of this.#targets(stored)) {
      const socket = this.#socketOf(ws);
      if (scopeName(socket) === "tenant") sendAll(ws, wholeFeed(socket.frames));
      else
        sendAll(
          ws,
          cut(
            stored.filter((e) => sees(socket, e)).map((e) => e.frame),
            socket.frames,
          ),
        );
    }
  }

  /** Each socket carries one scope tag, so only the tags these events touch are looked up. */
  #targets(stored: BufferedEvent[]): Set<WebSocket> {
    const tags = new Set([TENANT_TAG]);
    for (const e of stored) {
      tags.add(traceTag(e.traceId));
      if (e.ownerUserId) tags.add(userTag(e.ownerUserId));
    }
    return new Set([...tags].flatMap((tag) => this.ctx.getWebSockets(tag)));
  }

  #socketOf(ws: WebSocket): HubSocket {
    let socket = this.#sockets.get(ws);
    if (!socket) {
      // Sockets accepted before framing was chosen have no `frames`: a `json` frame suits them too
      // (it is an `ndjson` frame of one line).
      socket = { frames: "json", ...(ws.deserializeAttachment() as Omit<HubSocket, "frames">) };
      this.#sockets.set(ws, socket);
    }
    return socket;
  }

  async #armAlarm(): Promise<void> {
    if (this.#alarmAt !== null) return;
    const oldest = this.#buffer.oldestTime();
    if (oldest === null) return;
    this.#alarmAt = oldest + MAX_AGE_MS + ALARM_SLACK_MS;
    await this.ctx.storage.setAlarm(this.#alarmAt);
  }
}

function control(event: "replay.gap", payload: LiveReplayGap, seq: number): string;
function control(event: "feed.ready", payload: LiveFeedReady, seq: number): string;
function control(event: string, payload: unknown, seq: number): string {
  return JSON.stringify({ event, payload, ts: new Date().toISOString(), seq });
}

/** The frames that carry `lines` (one JSON message each) to a socket of the given framing. */
function cut(lines: string[], frames: LiveFrames): string[] {
  return frames === "json" ? lines : pack(lines);
}

/** Lines joined into as few frames as fit under MAX_FRAME_CHARS. */
function pack(lines: string[]): string[] {
  const frames: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (current.length && size + line.length + 1 > MAX_FRAME_CHARS) {
      frames.push(current.join(FRAME_SEPARATOR));
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
  }
  if (current.length) frames.push(current.join(FRAME_SEPARATOR));
  return frames;
}

/** A socket that cannot take a frame is closed; it never holds up the others (sends do not block). */
function sendAll(ws: WebSocket, frames: string[]): void {
  try {
    for (const frame of frames) ws.send(frame);
  } catch {
    closeQuietly(ws, 1011, "Send failed");
  }
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  // 1005 and 1006 describe a close that had no code; they cannot be sent.
  const sendable = code === 1005 || code === 1006 ? 1000 : code;
  try {
    ws.close(sendable, reason);
  } catch {}
}
