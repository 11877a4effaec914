/**
 * The live feed's wire protocol, shared by the Worker and the web app: this file imports nothing
 * but zod schemas (no drizzle, no `cloudflare:*`).
 *
 * Connecting: `GET /ws/live` (the whole tenant; a viewer sees only traces they sent) or
 * `GET /ws/traces/{traceId}` (one trace), as a WebSocket, authenticated by the session cookie or an
 * API key with the `read` scope. Each text frame is one `LiveMessage` as JSON, so `JSON.parse` of a
 * frame reads it. A high-volume consumer may connect with `?frames=ndjson` instead: then a frame
 * holds one or more lines, each one `LiveMessage` (the events of one ingest batch travel together),
 * which costs one frame per batch rather than one per event. `parseFrame` reads either.
 *
 * Cursor: every feed event carries `seq`, increasing per tenant (unique, never reused). Control
 * frames (`replay.gap`, `feed.ready`) carry the cursor position and use no seq of their own. A client
 * keeps `cursor = message.seq` for every message it reads and reconnects with `?since=<cursor>`: the
 * events it missed (within its scope) are replayed before live ones, then `feed.ready` follows.
 * If the hub no longer holds them all (it keeps the last 5,000 events or 10 minutes), `replay.gap`
 * comes first: refetch what the page shows over REST and carry on from the gap's `seq`.
 *
 * Client → server: nothing but the text `ping`, answered with `pong` (keep-alive through proxies).
 * Everything else a client sends is ignored.
 *
 * `alert.fired` and `alert.resolved` carry an anomaly incident (worker/alerts) to the whole tenant.
 *
 * Still to come: `ablation.progress` (attribution runs).
 */
import { z } from "@hono/zod-openapi";
import { AlertEvent } from "../alerts/schemas";
import { SpanStatus } from "../ingest/schemas";
import { Span } from "../traces/schemas";

const IsoTime = z.iso.datetime();
const Seq = z.number().int().nonnegative();

export const LiveTraceStarted = z
  .object({
    id: z.string(),
    agent: z.string().openapi({ description: '"unknown" while only spans of the trace have arrived' }),
    name: z.string().nullable(),
    started_at: IsoTime,
    status: SpanStatus,
  })
  .openapi("LiveTraceStarted");

/** The span's summary fields, as the API's `Span` has them, and its tool's name. */
export const LiveSpan = Span.pick({
  id: true,
  trace_id: true,
  parent_id: true,
  type: true,
  name: true,
  status: true,
  started_at: true,
  ended_at: true,
  duration_ms: true,
  model: true,
  usage: true,
})
  .extend({ tool_name: z.string().nullable() })
  .openapi("LiveSpan", {
    description:
      "Fields as sent in this batch. On `span.updated`, merge like the store does: a null field keeps the value the client already has; status `unset` keeps the earlier status.",
  });

export const LiveTraceCompleted = z
  .object({
    id: z.string(),
    agent: z.string(),
    ended_at: IsoTime,
    duration_ms: z.number().int().nullable(),
    status: SpanStatus,
  })
  .openapi("LiveTraceCompleted");

export const LiveConstitutionalAlert = z
  .object({
    evaluation_id: z.string(),
    rule_id: z.string(),
    rule_name: z.string(),
    rule_version: z.string(),
    policy_group: z.string(),
    severity: z.string().openapi({ example: "high" }),
    outcome: z.enum(["amber", "red"]),
    scope: z.enum(["span", "trace"]).default("span").openapi({
      description:
        "`trace`: the rule judges the whole trace; one alert per outcome it reaches, naming the span that crossed",
    }),
    score: z.number().nullable(),
    measured: z.number().nullable(),
    limit: z.number().nullable(),
    explanation: z.string(),
    span_id: z.string(),
    trace_id: z.string(),
    agent: z.string(),
    span_name: z.string(),
  })
  .openapi("LiveConstitutionalAlert");

export const LiveAuditHighRisk = z
  .object({
    event_id: z.string(),
    seq: z.number().int(),
    event_type: z.string(),
    occurred_at: IsoTime,
    actor: z.object({ type: z.string(), id: z.string(), display: z.string().optional() }),
    channel: z.string(),
    outcome: z.enum(["success", "failure"]),
    target: z.array(z.object({ type: z.string(), id: z.string(), name: z.string().optional() })),
    risk: z.object({ level: z.string(), rules: z.array(z.string()) }),
  })
  .openapi("LiveAuditHighRisk", { description: "An audit event of a type the tenant flags as high-risk" });

export const LiveReplayGap = z
  .object({
    since: Seq.openapi({ description: "The cursor the client resumed from" }),
    oldest_available: Seq.nullable().openapi({ description: "Oldest seq still held, null if none" }),
    head: Seq.openapi({ description: "Latest seq the hub has assigned" }),
  })
  .openapi("LiveReplayGap", {
    description: "Events after `since` up to the frame's `seq` are gone: refetch, then continue from `seq`.",
  });

export const LiveFeedReady = z
  .object({
    scope: z.enum(["tenant", "own", "trace"]),
    trace_id: z.string().nullable(),
    replayed: z.number().int().nonnegative(),
  })
  .openapi("LiveFeedReady", { description: "Replay (if any) is done; live events follow." });

function envelope<E extends string, P extends z.ZodType>(event: E, payload: P) {
  return z.object({ event: z.literal(event), payload, ts: IsoTime, seq: Seq });
}

export const LiveMessage = z
  .discriminatedUnion("event", [
    envelope("trace.started", LiveTraceStarted),
    envelope("span.created", LiveSpan),
    envelope("span.updated", LiveSpan),
    envelope("trace.completed", LiveTraceCompleted),
    envelope("constitutional.alert", LiveConstitutionalAlert),
    envelope("audit.high_risk", LiveAuditHighRisk),
    envelope("alert.fired", AlertEvent),
    envelope("alert.resolved", AlertEvent),
    envelope("replay.gap", LiveReplayGap),
    envelope("feed.ready", LiveFeedReady),
  ])
  .openapi("LiveMessage");

export type LiveTraceStarted = z.output<typeof LiveTraceStarted>;
export type LiveSpan = z.output<typeof LiveSpan>;
export type LiveTraceCompleted = z.output<typeof LiveTraceCompleted>;
export type LiveConstitutionalAlert = z.output<typeof LiveConstitutionalAlert>;
export type LiveAuditHighRisk = z.output<typeof LiveAuditHighRisk>;
export type LiveReplayGap = z.output<typeof LiveReplayGap>;
export type LiveFeedReady = z.output<typeof LiveFeedReady>;
export type LiveMessage = z.output<typeof LiveMessage>;
export type LiveEventName = LiveMessage["event"];
export type ControlEventName = "replay.gap" | "feed.ready";
/** What features publish; the hub adds `ts` and `seq`, and sends the control frames itself. */
export type FeedMessage = Exclude<LiveMessage, { event: ControlEventName }>;

/**
 * How the hub cuts messages into frames (`?frames=` on the connect URL): `json`, one message per
 * frame, or `ndjson`, as many as fit per frame, one per line.
 */
export const LiveFrames = z.enum(["json", "ndjson"], {
  error: "frames must be json (one message per frame, the default) or ndjson (one message per line)",
});
export type LiveFrames = z.output<typeof LiveFrames>;

/** Lines are JSON objects, and JSON text never holds a raw newline, so the separator is safe. */
export const FRAME_SEPARATOR = "\n";

/**
 * The messages in one text frame of either kind (a `json` frame is an `ndjson` frame of one line),
 * in order. Lines this version does not know (an event added later) are skipped, so a newer server
 * never breaks an older page.
 */
export function parseFrame(text: string): LiveMessage[] {
  return text.split(FRAME_SEPARATOR).flatMap((line) => {
    try {
      const parsed = LiveMessage.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

type Unsealed<M> = M extends LiveMessage ? Pick<M, "event" | "payload"> : never;

/**
 * One event handed to the tenant's hub (server side only): `traceId` and `ownerUserId` decide which
 * sockets see it (a viewer sees only events whose owner is themselves) and never go on the wire.
 */
export type HubEvent = Unsealed<FeedMessage> & { traceId: string; ownerUserId: string | null };
