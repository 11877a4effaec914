/**
 * Appending to the audit log. Every event is masked, canonicalized (RFC 8785) and leaf-hashed
 * here, then inserted by a statement that assigns the tenant's next seq itself, so callers put it
 * in the same D1 batch as the mutation it describes: both commit or neither does, and seq stays
 * gap-free however many writers race (D1 runs one batch at a time).
 */
import { sha256Hex } from "../lib/crypto";
import { ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { isoTime } from "../lib/time";
import { canonicalJson, leafHashHex } from "./leaf";
import { Masker, type MaskingPolicy } from "./mask";
import type { Actor, AuditEventBody, AuditEventInput, SubmittedBy } from "./schemas";
import { LIMITS } from "./schemas";
import { highRiskMatches, policyFor, type TenantAuditSettings } from "./settings";

type ActorT = AuditEventInput["actor"];
type Channel = AuditEventBody["channel"];

/** Who and where: filled from the request for AuditTrail's own mutations. */
export type AuditSource = {
  tenantId: string;
  actor: ActorT;
  onBehalfOf: string | null;
  channel: Channel;
  sourceIp: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** The client's own X-Request-Id, labelled as such on the event (never taken for ours). */
  clientRequestId?: string | null;
  /** For events sent through POST /audit/events: who really sent them, as we observed it. */
  submittedBy?: SubmittedBy | null;
};

/** One event to record; actor/channel/source fields override the source's when given. */
export type AuditDraft = Partial<Omit<AuditEventInput, "event_type" | "crud" | "tenant_id">> &
  Pick<AuditEventInput, "event_type" | "crud">;

export type PreparedEvent = {
  body: AuditEventBody;
  canonical: string;
  leafHash: string;
  highRisk: boolean;
  /** Present when `changes` was too big to keep inline: stored in R2 before the batch. */
  bigChanges?: { key: string; data: string };
};

export type AppendedEvent = PreparedEvent & { seq: number };

/** How an action carried out after dual approval names its approval on the event. */
export type ApprovalRef = NonNullable<AuditDraft["approval"]>;

const RISK_ORDER = ["none", "low", "medium", "high"] as const;
const maxLevel = (a: string, b: string) =>
  RISK_ORDER[Math.max(RISK_ORDER.indexOf(a as never), RISK_ORDER.indexOf(b as never))] ?? "none";
const isoMs = (iso: string) => isoTime(Date.parse(iso));
const encoder = new TextEncoder();

function riskOf(settings: TenantAuditSettings, draft: AuditDraft): AuditEventBody["risk"] {
  const flagged = highRiskMatches(settings, draft.event_type);
  const given = draft.risk ?? { level: "none" as const, rules: [] };
  const level = flagged.length ? maxLevel(given.level, "high") : given.level;
  return {
    level: level as AuditEventBody["risk"]["level"],
    rules: [...new Set([...given.rules, ...flagged])],
  };
}

/** An assistant's id is `ai_assistant:<userId>`: the user it acts for, when not given. */
function onBehalfOf(draft: AuditDraft, source: AuditSource, actor: ActorT): string | null {
  if (draft.on_behalf_of !== undefined) return draft.on_behalf_of;
  if (actor.type === "ai_assistant" && actor.id.startsWith("ai_assistant:")) return actor.id.slice(13);
  return source.onBehalfOf;
}

function maskedAi(ai: AuditDraft["ai"], masker: Masker): AuditEventBody["ai"] {
  if (!ai) return null;
  return {
    ...ai,
    ...(ai.prompt === undefined ? {} : { prompt: masker.text(ai.prompt) }),
    ...(ai.tool_args === undefined
      ? {}
      : { tool_args: masker.value(ai.tool_args) as Record<string, unknown> }),
  };
}

function buildBody(
  source: AuditSource,
  draft: AuditDraft,
  policy: MaskingPolicy,
  settings: TenantAuditSettings,
  now: number,
): AuditEventBody {
  const masker = new Masker(policy);
  const actor = draft.actor ?? source.actor;
  const changes = draft.changes ? (masker.value(draft.changes) as AuditEventBody["changes"]) : null;
  const metadata = draft.metadata ? (masker.value(draft.metadata) as Record<string, unknown>) : {};
  const body: AuditEventBody = {
    schema_version: "1.0",
    event_id: newId("ev_", now),
    tenant_id: source.tenantId,
    event_type: draft.event_type,
    crud: draft.crud,
    occurred_at: draft.occurred_at ? isoMs(draft.occurred_at) : isoTime(now),
    received_at: isoTime(now),
    actor,
    on_behalf_of: onBehalfOf(draft, source, actor),
    channel: draft.channel ?? source.channel,
    source_ip: draft.source_ip ?? source.sourceIp,
    user_agent: draft.user_agent ?? source.userAgent,
    outcome: draft.outcome ?? "success",
    error: draft.error ? { ...draft.error, message: masker.text(draft.error.message) } : null,
    target: draft.target ?? [],
    changes,
    changes_ref: null,
    reason: draft.reason ? masker.text(draft.reason) : null,
    metadata,
    ai: maskedAi(draft.ai, masker),
    risk: riskOf(settings, draft),
    approval: draft.approval ?? null,
    correlation: {
      ...((draft.correlation?.request_id ?? source.requestId)
        ? { request_id: draft.correlation?.request_id ?? source.requestId ?? undefined }
        : {}),
      ...(draft.correlation?.trace_id ? { trace_id: draft.correlation.trace_id } : {}),
      ...(source.clientRequestId ? { client_request_id: source.clientRequestId } : {}),
    },
    ...(source.submittedBy ? { submitted_by: source.submittedBy } : {}),
    masking: { policy_version: policy.version, masked: 0 },
  };
  body.masking.masked = masker.count;
  return body;
}

/**
 * The event's canonical JSON, within 64 KB: over it, `changes` moves to R2 under its hash and the
 * event keeps the reference. Returns the JSON to hash (computed once) and what to put in R2.
 */
async function fitToLimit(
  body: AuditEventBody,
  path: string,
): Promise<{ canonical: string; bigChanges?: PreparedEvent["bigChanges"] }> {
  let canonical = canonicalJson(body);
  if (encoder.encode(canonical).length <= LIMITS.eventBytes) return { canonical };
  let bigChanges: PreparedEvent["bigChanges"];
  if (body.changes) {
    const data = canonicalJson(body.changes);
    const hash = await sha256Hex(data);
    bigChanges = { key: `audit/${body.tenant_id}/changes/${hash}.json`, data };
    body.changes = null;
    body.changes_ref = { sha256: hash, bytes: encoder.encode(data).length };
    canonical = canonicalJson(body);
  }
  const size = encoder.encode(canonical).length;
  if (size > LIMITS.eventBytes) {
    throw new ValidationError("Audit event too large", [
      {
        path,
        message: `event is ${size} bytes after masking; the limit is ${LIMITS.eventBytes} (excluding changes)`,
      },
    ]);
  }
  return { canonical, bigChanges };
}

/** Masks, sizes and hashes drafts; `paths` names each draft in validation errors. */
export async function prepareEvents(
  env: Env,
  source: AuditSource,
  drafts: AuditDraft[],
  settings: TenantAuditSettings,
  paths: string[] = drafts.map(() => "(root)"),
): Promise<PreparedEvent[]> {
  const policy = await policyFor(settings);
  const now = Date.now();
  const prepared = await Promise.all(
    drafts.map(async (draft, i) => {
      const body = buildBody(source, draft, policy, settings, now);
      const { canonical, bigChanges } = await fitToLimit(body, paths[i] ?? "(root)");
      return {
        body,
        canonical,
        leafHash: leafHashHex(canonical),
        highRisk: body.risk.level === "high",
        bigChanges,
      };
    }),
  );
  // Content-addressed, so an object written for a batch that then fails is harmless.
  await Promise.all(
    prepared.flatMap((p) => (p.bigChanges ? [env.ARCHIVE.put(p.bigChanges.key, p.bigChanges.data)] : [])),
  );
  return prepared;
}

export function insertParams(e: PreparedEvent): unknown[] {
  const b = e.body;
  const human = b.on_behalf_of ?? (b.actor.type === "user" ? b.actor.id : null);
  return [
    b.event_id,
    b.event_type,
    b.crud,
    Date.parse(b.occurred_at),
    Date.parse(b.received_at),
    b.actor.type,
    b.actor.id,
    human,
    b.channel,
    b.outcome,
    b.ai?.tool_name ?? null,
    b.ai?.conversation_id ?? null,
    b.risk.level,
    b.correlation.trace_id ?? null,
    e.canonical,
    e.leafHash,
  ];
}

/** One event on its own (tests, tools): the same statement as a batch of one. */
export function insertStatement(db: D1Database, e: PreparedEvent): D1PreparedStatement {
  return insertManyStatements(db, [e])[0] as D1PreparedStatement;
}

/**
 * Many events in one statement: rows travel as one JSON array and take seqs MAX(seq)+1… in array
 * order (SQLite computes the SELECT, MAX included, before inserting, since it reads the target
 * table). One statement instead of one per event is what makes batches cheap on D1.
 */
export const INSERT_EVENTS_SQL = `INSERT INTO audit_events (tenant_id, seq, event_id, event_type, crud, occurred_at,
  received_at, actor_type, actor_id, user_id, channel, outcome, tool_name, conversation_id, risk_level, trace_id,
  body, leaf_hash)
SELECT ?1, (SELECT COALESCE(MAX(seq), 0) FROM audit_events WHERE tenant_id = ?1) + j.key + 1,
  j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6,
  j.value ->> 7, j.value ->> 8, j.value ->> 9, j.value ->> 10, j.value ->> 11, j.value ->> 12, j.value ->> 13,
  j.value ->> 14, j.value ->> 15
FROM json_each(?2) j
RETURNING seq, event_id`;

/** Keeps each statement's JSON parameter well under D1's limits. */
const MAX_CHUNK_BYTES = 1_500_000;

export function insertManyStatements(db: D1Database, events: PreparedEvent[]): D1PreparedStatement[] {
  const chunks: unknown[][][] = [];
  let bytes = Number.POSITIVE_INFINITY;
  for (const e of events) {
    if (bytes + e.canonical.length > MAX_CHUNK_BYTES) {
      chunks.push([]);
      bytes = 0;
    }
    chunks.at(-1)?.push(insertParams(e));
    bytes += e.canonical.length + 600;
  }
  return chunks.map((rows) =>
    db.prepare(INSERT_EVENTS_SQL).bind(events[0]?.body.tenant_id, JSON.stringify(rows)),
  );
}

export type { Actor };
