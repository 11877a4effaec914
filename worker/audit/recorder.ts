/**
 * The one way AuditTrail's own mutations reach the audit log. A tenant's log lives on its data
 * database. `recorder(c).commit(statements, drafts)` runs a mutation of tenant data or audit tables
 * and the events' inserts as one D1 batch (all or nothing) there; `commitControl` does the same for
 * a control-plane mutation (users, sessions, API keys, invitations, the tenant row): one batch when
 * the tenant's data is in the control database, else the events go to the control database's
 * outbox in the mutation's batch and are appended to the tenant's log before it returns (outbox.ts).
 * After commit, both ask for a checkpoint, push high-risk events to the live feed and wake SIEM
 * delivery. Statements are drizzle queries (any handle: only their SQL is taken) or statements
 * prepared on the database they run in.
 */
import type { Context } from "hono";
import {
  auditDatabase,
  auditLogIsControl,
  type Control,
  control,
  type Orm,
  type TenantContext,
  tenantContext,
} from "../db/client";
import type { AppEnv, Principal, Tenant } from "../env";
import type { LiveAuditHighRisk } from "../live/protocol";
import { publishToHub } from "../live/publish";
import { findTenant } from "../tenants/queries";
import { deliverOutbox, outboxStatements } from "./outbox";
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
  /** The tenant's audit database (its data database): the log and mutations audited with `commit`. */
  readonly d1: D1Database;
  readonly db: Orm;
  readonly source: AuditSource;

  constructor(
    readonly tenant: TenantContext,
    source: Omit<AuditSource, "tenantId">,
    private readonly waitUntil: (p: Promise<unknown>) => void,
  ) {
    ({ d1: this.d1, db: this.db } = auditDatabase(tenant));
    this.source = { ...source, tenantId: tenant.id };
  }

  get env(): Env {
    return this.tenant.env;
  }

  /** The control database, where the mutations audited with `commitControl` run. */
  get control(): Control {
    return control(this.env);
  }

  settings(): Promise<TenantAuditSettings> {
    return loadSettings(this.d1, this.tenant.id);
  }

  /**
   * Mutation statements first, then one insert per draft, then `after` (statements that read the
   * new events); results are the mutation's.
   */
  async commit(
    statements: Statement[],
    drafts: AuditDraft[],
    after: (events: PreparedEvent[]) => Statement[] = () => [],
  ): Promise<Committed> {
    return this.#commitIn(this.d1, statements, drafts, after);
  }

  /**
   * A control-plane mutation and its events. The events commit with the mutation either way: in
   * the log itself when it is in the control database, else in the control database's outbox.
   * A delivery that fails here is left to the minute sweep; the mutation stands.
   */
  async commitControl(statements: Statement[], drafts: AuditDraft[]): Promise<Committed> {
    const db = this.control.d1;
    if (auditLogIsControl(this.tenant)) return this.#commitIn(db, statements, drafts);
    const prepared = await prepareEvents(this.env, this.source, drafts, await this.settings());
    const results = await db.batch([
      ...statements.map((s) => toD1(db, s)),
      ...outboxStatements(this.env, prepared, Date.now()),
    ]);
    const seqs = await deliverOutbox(this.env, this.tenant.id).catch((err) => {
      console.error("audit outbox delivery failed; the sweep retries", this.tenant.id, err);
      return new Map<string, number>();
    });
    const events = prepared.map((e) => ({ ...e, seq: seqs.get(e.body.event_id) ?? 0 }));
    this.waitUntil(
      afterAppend(
        this.env,
        this.tenant.id,
        events.filter((e) => e.seq > 0),
      ),
    );
    return { results: results.slice(0, statements.length), events };
  }

  async #commitIn(
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
    this.waitUntil(afterAppend(this.env, this.tenant.id, events));
    return { results: results.slice(0, statements.length), events };
  }

  /** An event that describes no mutation of ours (a failed login, an export, a read). */
  async record(...drafts: AuditDraft[]): Promise<AppendedEvent[]> {
    return (await this.commit([], drafts)).events;
  }

  /** The same request, another actor. */
  with(source: Partial<Omit<AuditSource, "tenantId">>): AuditRecorder {
    return new AuditRecorder(this.tenant, { ...this.source, ...source }, this.waitUntil);
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

type Source = Omit<AuditSource, "tenantId">;

function requestSource(c: Context<AppEnv>, actor: AuditSource["actor"]): Source {
  return {
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
  const source = requestSource(c, principalActor(p));
  if (p.via === "api_key") {
    source.onBehalfOf = p.userId;
    source.channel = "api";
  }
  return new AuditRecorder(c.var.tenant, source, waitUntilOf(c));
}

/**
 * For jobs (retention, SIEM delivery): the system acts in a tenant found by id, deleted or not
 * (its audit log outlives it); undefined when no such tenant exists.
 */
export async function systemRecorder(
  env: Env,
  tenantId: string,
  source: Omit<Source, "onBehalfOf" | "sourceIp" | "userAgent" | "requestId">,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<AuditRecorder | undefined> {
  const tenant = await findTenant(control(env).db, tenantId, { includeDeleted: true });
  if (!tenant) return undefined;
  const full = { ...source, onBehalfOf: null, sourceIp: null, userAgent: null, requestId: null };
  return new AuditRecorder(tenantContext(env, tenant), full, waitUntil);
}

/** For routes without a principal (sign-up, login): the caller says who acted, in which tenant. */
export function anonymousRecorder(
  c: Context<AppEnv>,
  tenant: Tenant,
  actor: AuditSource["actor"],
): AuditRecorder {
  return new AuditRecorder(tenantContext(c.env, tenant), requestSource(c, actor), waitUntilOf(c));
}
