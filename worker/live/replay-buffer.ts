import { isoTime } from "../lib/time";
import type { HubEvent, LiveReplayGap } from "./protocol";

/** The hub keeps whichever is shorter: the last MAX_EVENTS events or the last MAX_AGE_MS. */
export const MAX_EVENTS = 5_000;
export const MAX_AGE_MS = 10 * 60_000;

export type BufferedEvent = Pick<HubEvent, "traceId" | "ownerUserId"> & { seq: number; frame: string };
type Gap = { seq: number; payload: LiveReplayGap };

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, trace_id TEXT NOT NULL, owner TEXT, frame TEXT NOT NULL)`,
  "CREATE INDEX IF NOT EXISTS events_ts_idx ON events (ts)",
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
];

/**
 * The tenant's recent events in the Durable Object's own SQLite, for clients that reconnect. The
 * seq counter lives in `meta`, not in max(seq), so it survives the buffer being pruned empty.
 */
export class ReplayBuffer {
  #head = 0;

  constructor(private readonly sql: SqlStorage) {}

  /** Call once, under blockConcurrencyWhile. */
  init(): void {
    for (const statement of SCHEMA) this.sql.exec(statement);
    const row = this.sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = 'head'").toArray()[0];
    this.#head = row?.value ?? 0;
  }

  get head(): number {
    return this.#head;
  }

  /** Assigns each event the next seq, stores its frame and drops what falls out of the window. */
  append(events: HubEvent[], now: number): BufferedEvent[] {
    const ts = isoTime(now);
    const stored = events.map(({ event, payload, traceId, ownerUserId }) => {
      const seq = ++this.#head;
      const frame = JSON.stringify({ event, payload, ts, seq });
      this.sql.exec(
        "INSERT INTO events (seq, ts, trace_id, owner, frame) VALUES (?, ?, ?, ?, ?)",
        seq,
        now,
        traceId,
        ownerUserId,
        frame,
      );
      return { seq, traceId, ownerUserId, frame };
    });
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('head', ?)", this.#head);
    this.prune(now);
    return stored;
  }

  /**
   * Advances the seq counter past events that nobody can replay (the hub had no socket for a whole
   * replay window), without storing them: a resuming client still sees a gap and refetches.
   */
  skip(count: number): void {
    this.#head += count;
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('head', ?)", this.#head);
  }

  /** When a socket was last connected (ms), kept across hibernation. */
  get lastListenerAt(): number {
    const row = this.sql
      .exec<{ value: number }>("SELECT value FROM meta WHERE key = 'last_listener'")
      .toArray()[0];
    return row?.value ?? 0;
  }

  set lastListenerAt(at: number) {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_listener', ?)", at);
  }

  prune(now: number): void {
    this.sql.exec("DELETE FROM events WHERE seq <= ? OR ts < ?", this.#head - MAX_EVENTS, now - MAX_AGE_MS);
  }

  /** Time of the oldest event held, or null when the buffer is empty. */
  oldestTime(): number | null {
    const row = this.sql.exec<{ ts: number }>("SELECT ts FROM events ORDER BY seq LIMIT 1").toArray()[0];
    return row?.ts ?? null;
  }

  /** Everything after `since`, oldest first. */
  after(since: number): BufferedEvent[] {
    return this.sql
      .exec<{ seq: number; trace_id: string; owner: string | null; frame: string }>(
        "SELECT seq, trace_id, owner, frame FROM events WHERE seq > ? ORDER BY seq",
        since,
      )
      .toArray()
      .map((r) => ({ seq: r.seq, traceId: r.trace_id, ownerUserId: r.owner, frame: r.frame }));
  }

  /**
   * Whether a client resuming from `since` missed events the buffer no longer holds. A cursor ahead
   * of the head means the hub lost its history: the client starts over from the head.
   */
  gap(since: number): Gap | null {
    const head = this.#head;
    if (since === head) return null;
    const row = this.sql.exec<{ seq: number | null }>("SELECT min(seq) AS seq FROM events").toArray()[0];
    const oldest = row?.seq ?? null;
    if (since < head && oldest !== null && oldest <= since + 1) return null;
    const seq = since > head ? head : (oldest ?? head + 1) - 1;
    return { seq, payload: { since, oldest_available: oldest, head } };
  }
}
