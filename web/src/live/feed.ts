/**
 * The live feed: one reconnecting WebSocket (`/ws/live` or `/ws/traces/{id}`, authenticated by the
 * session cookie) turned into a store that pages read, plus a listener for the messages themselves.
 * It asks for `ndjson` frames: the events of one ingest batch arrive as one frame and reach the
 * page's handlers together, so a 500-span batch is one update, not 500.
 *
 * Invariants: `cursor` is the `seq` of the last message read, and every reconnect resumes from it
 * (`?since=`), so a page sees each event once. `syncs` increments whenever what a page holds may be
 * stale and it should refetch over REST: once when the first connection is ready (events between
 * the page's first fetch and the socket opening are otherwise lost) and after every `replay.gap`.
 */
import { untrack } from "solid-js";
import { createStore } from "solid-js/store";
import { type LiveMessage, parseFrame } from "../../../worker/live/protocol";

export type { LiveMessage };
export type FeedStatus = "connecting" | "live" | "reconnecting" | "closed";

export type FeedState = {
  status: FeedStatus;
  cursor: number | null;
  /** Bumped when the page should refetch what it shows (first ready, or a replay gap). */
  syncs: number;
  /** Events read since the feed opened (not counting control frames). */
  events: number;
  lastEventAt: number | null;
};

export type LiveFeed = {
  readonly state: FeedState;
  /** Called with the messages of each frame, in order; returns the unsubscribe function. */
  listen(handler: (messages: LiveMessage[]) => void): () => void;
  close(): void;
};

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15_000;

/** Exponential backoff with full jitter, so a restarted server is not hit by every tab at once. */
export function backoffDelay(attempt: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  return BACKOFF_MIN_MS / 2 + Math.random() * (ceiling - BACKOFF_MIN_MS / 2);
}

function socketUrl(path: string, since: number | null): string {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("frames", "ndjson");
  if (since !== null) url.searchParams.set("since", String(since));
  return url.toString();
}

function connectFeed(path: string, onClosed: () => void): LiveFeed {
  const [state, setState] = createStore<FeedState>({
    status: "connecting",
    cursor: null,
    syncs: 0,
    events: 0,
    lastEventAt: null,
  });
  const handlers = new Set<(messages: LiveMessage[]) => void>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let everReady = false;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const stopTimers = () => {
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
  };

  const read = (messages: LiveMessage[]) => {
    let resync = false;
    let events = 0;
    for (const m of messages) {
      if (m.event === "replay.gap") resync = true;
      else if (m.event === "feed.ready") {
        attempt = 0;
        if (!everReady) resync = true;
        everReady = true;
      } else events++;
    }
    const last = messages[messages.length - 1];
    setState((s) => ({
      status: "live",
      cursor: last ? last.seq : s.cursor,
      syncs: resync ? s.syncs + 1 : s.syncs,
      events: s.events + events,
      lastEventAt: events ? Date.now() : s.lastEventAt,
    }));
    for (const handler of handlers) handler(messages);
  };

  const scheduleReconnect = () => {
    if (closed) return;
    stopTimers();
    setState("status", "reconnecting");
    retryTimer = setTimeout(connect, backoffDelay(attempt++));
  };

  // A socket that stops answering pings is dead even if the browser has not noticed yet.
  const keepAlive = (ws: WebSocket) => {
    pingTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send("ping");
      clearTimeout(pongTimer);
      pongTimer = setTimeout(() => ws.close(4000, "keep-alive timeout"), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  };

  function connect() {
    if (closed) return;
    const ws = new WebSocket(socketUrl(path, state.cursor));
    socket = ws;
    ws.addEventListener("open", () => keepAlive(ws));
    ws.addEventListener("message", (e) => {
      if (socket !== ws || typeof e.data !== "string") return;
      clearTimeout(pongTimer);
      if (e.data === "pong") return;
      const messages = parseFrame(e.data);
      if (messages.length) read(messages);
    });
    ws.addEventListener("close", () => {
      if (socket === ws) scheduleReconnect();
    });
  }

  const onOnline = () => {
    if (state.status !== "reconnecting") return;
    clearTimeout(retryTimer);
    connect();
  };
  window.addEventListener("online", onOnline);
  connect();

  return {
    state,
    listen(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    close() {
      closed = true;
      stopTimers();
      window.removeEventListener("online", onOnline);
      socket?.close(1000, "page closed");
      socket = null;
      handlers.clear();
      setState("status", "closed");
      onClosed();
    },
  };
}

type Shared = { feed: LiveFeed; users: number };
const open = new Map<string, Shared>();

/**
 * A handle on the feed at `path`. Handles on the same path share one socket (the layout's alert
 * toasts and a page both reading /ws/live cost one connection); the socket closes with the last
 * handle. Components take handles through `useLiveFeed`, which ties each one to its owner.
 */
export function openLiveFeed(path: string): LiveFeed {
  let shared = open.get(path);
  if (!shared) {
    // Untracked: opening reads the store (the cursor), and a caller's memo must not depend on it.
    const feed = untrack(() => connectFeed(path, () => open.delete(path)));
    const created: Shared = { feed, users: 0 };
    open.set(path, created);
    shared = created;
  }
  shared.users++;
  const entry = shared;
  const stops = new Set<() => void>();
  let closed = false;
  return {
    state: entry.feed.state,
    listen(handler) {
      const stop = entry.feed.listen(handler);
      stops.add(stop);
      return () => {
        stops.delete(stop);
        stop();
      };
    },
    close() {
      if (closed) return;
      closed = true;
      for (const stop of stops) stop();
      if (--entry.users === 0) entry.feed.close();
    },
  };
}
