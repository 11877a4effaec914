/**
 * The one way AuditTrail's own mutations reach the audit log: `recorder(c).commit(db, statements,
 * drafts)` runs the mutation's statements and the events' inserts as one D1 batch (all or
 * nothing), then, after commit, asks for a checkpoint, pushes high-risk events to the live feed and
 * wakes SIEM delivery.
 */
import type { Context } from "hono";
import type { AppEnv, Principal } from "../env";
import type { LiveAuditHighRisk } from "../live/protocol";
import { publishToHub } from "../live/publish";
import {
  type AppendedEvent,
  type AuditDraft,
  type AuditSource,
  insertManyStatements,
  type PreparedEvent,
  prepareEvents,
} from "./record";
import { loadSettings, type TenantAuditSettings } from "./settings";
import { kickSiem } from "./siem/kick";
import { requestCheckpoint } from "./tlog/client";

/** A drizzle query (anything with toSQL) or a prepared D1 statement. */
export type Statement = D1PreparedStatement | { toSQL(): { sql: string; params: unknown[] } };

function toD1(db: D1Database, s: Statement): D1PreparedStatement {
  if ("toSQL" in s) {
    const { sql, params } = s.toSQL();
    return db.prepare(sql).bind(...params);
  }
  return s;
}

export type Committed = { results: D1Result[]; events: AppendedEvent[] };

export class AuditRecorder {
  constructor(
    readonly env: Env,
    readonly source: AuditSource,
    private readonly waitUntil: (p: Promise<unknown>) => void,
  ) {}

  /**
   * The database a mutation of the tenant's data runs in. The audit log lives in the control
   * database, and an event must commit with its mutation, so the two must be one database: a
   * tenant moved to its own data shard needs its audit log moved with it first.
   */
  data(tenant: { id: string; dataDb: string }): D1Database {
    if (tenant.dataDb !== "DB") {
      throw new Error(
        `tenant ${tenant.id}: audited mutations on data shard ${tenant.dataDb} are not supported yet`,
      );
    }
    return this.env.DB;
  }

  settings(): Promise<TenantAuditSettings> {
    return loadSettings(this.env.DB, this.source.tenantId);
  }

  /**
   * Mutation statements first, then one insert per draft, then `after` (statements that read the
   * new events); results are the mutation's.
   */
  async commit(
    db: D1Database,
    statements: Statement[],
    drafts: AuditDraft[],
    after: (events: PreparedEvent[]) => Statement[] = () => [],
  ): Promise<Committed> {
    const prepared = await prepareEvents(this.env, this.source, drafts, await this.settings());
    const inserts = insertManyStatements(db, prepared);
    const batch = [
      ...statements.map((s) => toD1(db, s)),
      ...inserts,
      ...after(prepared).map((s) => toD1(db, s)),
    ];
    const results = await db.batch(batch);
    // Seqs follow the events' order: the first one is the lowest seq returned.
    const seqs = results
      .slice(statements.length, statements.length + inserts.length)
      .flatMap((r) => (r.results as { seq: number }[]).map((row) => row.seq));
    const first = seqs.length ? Math.min(...seqs) : 0;
    const events = prepared.map((e, i) => ({ ...e, seq: first + i }));
    this.waitUntil(afterAppend(this.env, this.source.tenantId, events));
    return { results: results.slice(0, statements.length), events };
  }

  /** An event that describes no mutation of ours (a failed login, an export, a read). */
  async record(...drafts: AuditDraft[]): Promise<AppendedEvent[]> {
    return (await this.commit(this.env.DB, [], drafts)).events;
  }

  /** The same request, another actor or tenant (sign-up creates its tenant mid-request). */
  with(source: Partial<AuditSource>): AuditRecorder {
    return new AuditRecorder(this.env, { ...this.source, ...source }, this.waitUntil);
  }
}

export function highRiskMessage(e: AppendedEvent): LiveAuditHighRisk {
  const b = e.body;
  return {
    event_id: b.event_id,
    seq: e.seq,
    event_type: b.event_type,
    occurred_at: b.occurred_at,
    actor: b.actor,
    channel: b.channel,
    outcome: b.outcome,
    target: b.target,
    risk: b.risk,
  };
}

/**
 * One wake-up per tenant per isolate per window: a burst of appends shares one notification. Safe
 * because the log keeps re-checking about every second while rounds find new events, and the
 * events of this window were committed before the round the last notification caused.
 */
const WAKE_WINDOW_MS = 250;
const lastWake = new Map<string, number>();

function shouldWake(kind: string, tenantId: string): boolean {
  const key = `${kind}:${tenantId}`;
  const now = Date.now();
  if (now - (lastWake.get(key) ?? 0) < WAKE_WINDOW_MS) return false;
  if (lastWake.size > 10_000) lastWake.clear();
  lastWake.set(key, now);
  return true;
}

/** Post-commit work; each part is retried by its own safety net (cron sweeps), so none may block. */
export async function afterAppend(env: Env, tenantId: string, events: AppendedEvent[]): Promise<void> {
  if (!events.length) return;
  const highRisk = events.filter((e) => e.highRisk);
  const results = await Promise.allSettled([
    shouldWake("log", tenantId) ? requestCheckpoint(env, tenantId) : null,
    publishToHub(
      env,
      tenantId,
      highRisk.map((e) => ({
        event: "audit.high_risk" as const,
        payload: highRiskMessage(e),
        traceId: `audit:${e.body.event_id}`,
        ownerUserId: null,
      })),
    ),
    shouldWake("siem", tenantId) ? kickSiem(env, tenantId) : null,
  ]);
  for (const r of results)
    if (r.status === "rejected") console.error("audit post-commit step failed", r.reason);
}

export function principalActor(p: Principal): AuditSource["actor"] {
  if (p.via === "api_key" && p.apiKeyId) {
    return { type: "api_key", id: p.apiKeyId, display: p.apiKeyName ?? p.apiKeyId };
  }
  return { type: "user", id: p.userId, display: p.email };
}

function requestSource(c: Context<AppEnv>, tenantId: string, actor: AuditSource["actor"]): AuditSource {
  return {
    tenantId,
    actor,
    onBehalfOf: null,
    channel: "manual",
    sourceIp: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
    requestId: c.var.requestId ?? null,
    clientRequestId: c.var.clientRequestId ?? null,
  };
}

function waitUntilOf(c: Context<AppEnv>): (p: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx;
    return (p) => ctx.waitUntil(p);
  } catch {
    return (p) => void p.catch(() => {});
  }
}

/** The recorder for a signed-in request: the caller is the actor (an API key acts for its user). */
export function recorder(c: Context<AppEnv>): AuditRecorder {
  const p = c.var.principal;
  const source = requestSource(c, p.tenant.id, principalActor(p));
  if (p.via === "api_key") {
    source.onBehalfOf = p.userId;
    source.channel = "api";
  }
  return new AuditRecorder(c.env, source, waitUntilOf(c));
}

/** For routes without a principal (sign-up, login): the caller says who acted, in which tenant. */
export function anonymousRecorder(
  c: Context<AppEnv>,
  tenantId: string,
  actor: AuditSource["actor"],
): AuditRecorder {
  return new AuditRecorder(c.env, requestSource(c, tenantId, actor), waitUntilOf(c));
}
