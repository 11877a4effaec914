import { control, tenantContext } from "../db/client";
import { batchOf } from "../db/rows";
import { newId } from "../lib/ids";
import type { HubEvent } from "../live/publish";
import { publishToHub } from "../live/publish";
import { findTenant } from "../tenants/queries";
import { type SpanRow, spanColumns, toSpan } from "../traces/rows";
import type { Span } from "../traces/schemas";
import { EvaluateSpans } from "./messages";
import { type ActiveRule, activeRule, type EvaluationRow, evaluateTrace } from "./service/evaluate";
import { alreadyProcessed, existingFindings, plan, storeResults } from "./service/store";

type TraceInfo = { id: string; agent: string; created_by_user_id: string | null };

async function enabledRules(db: D1Database, tenantId: string): Promise<ActiveRule[]> {
  const { results } = await db
    .prepare("SELECT id, revision, definition FROM rules WHERE tenant_id = ? AND enabled = 1")
    .bind(tenantId)
    .all<{ id: string; revision: number; definition: string }>();
  return results.map(activeRule);
}

async function loadTraces(db: D1Database, tenantId: string, traceIds: string[]) {
  const ids = JSON.stringify(traceIds);
  const [traces, spans] = await batchOf<[TraceInfo, SpanRow]>(db, [
    db
      .prepare(
        "SELECT id, agent, created_by_user_id FROM traces WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))",
      )
      .bind(tenantId, ids),
    db
      .prepare(
        `SELECT ${spanColumns()} FROM spans WHERE tenant_id = ? AND trace_id IN (SELECT value FROM json_each(?))`,
      )
      .bind(tenantId, ids),
  ]);
  const byTrace = new Map<string, Span[]>();
  for (const row of spans.results) {
    const span = toSpan(row);
    const list = byTrace.get(span.trace_id) ?? [];
    list.push(span);
    byTrace.set(span.trace_id, list);
  }
  return { traces: traces.results, spansByTrace: byTrace };
}

function alertFor(row: EvaluationRow, owner: string | null): HubEvent {
  return {
    event: "constitutional.alert",
    traceId: row.trace_id,
    ownerUserId: owner,
    payload: {
      evaluation_id: row.id,
      rule_id: row.rule_id,
      rule_name: row.rule_name,
      rule_version: row.rule_version,
      policy_group: row.policy_group,
      severity: row.severity,
      outcome: row.outcome,
      scope: row.scope,
      score: row.score,
      measured: row.measured,
      limit: row.limit_value,
      explanation: row.explanation,
      span_id: row.span_id,
      trace_id: row.trace_id,
      agent: row.agent,
      span_name: row.span_name,
    },
  } as HubEvent;
}

/**
 * Evaluates one message's spans. Idempotent: a message id is processed once (a redelivery after a
 * committed batch is skipped), findings upsert on span × rule revision (trace × rule revision for a
 * trace-level rule), and alerts go out only for outcomes that differ from what was stored before.
 */
export async function evaluateMessage(env: Env, messageId: string, message: EvaluateSpans): Promise<number> {
  const found = await findTenant(control(env).db, message.tenant_id);
  if (!found) return 0; // deleted meanwhile: nothing to govern
  const tenant = tenantContext(env, found);
  const db = tenant.d1;
  if (await alreadyProcessed(db, messageId)) return 0;
  const rules = await enabledRules(db, tenant.id);
  if (!rules.length) return 0;
  const wanted = new Map<string, Set<string>>();
  for (const [traceId, spanId] of message.spans)
    wanted.set(traceId, (wanted.get(traceId) ?? new Set()).add(spanId));
  const traceIds = [...wanted.keys()];
  const [{ traces, spansByTrace }, existing] = await Promise.all([
    loadTraces(db, tenant.id, traceIds),
    existingFindings(db, tenant.id, traceIds),
  ]);
  const rows: EvaluationRow[] = [];
  const owners = new Map(traces.map((t) => [t.id, t.created_by_user_id]));
  for (const trace of traces) {
    const spans = spansByTrace.get(trace.id) ?? [];
    const targets = spans.filter((s) => wanted.get(trace.id)?.has(s.id));
    rows.push(...evaluateTrace(rules, spans, trace.agent, targets));
  }
  if (!rows.length) return 0;
  const results = plan(rows, existing);
  await storeResults(db, tenant.id, messageId, rows, results, traceIds);
  const alerts = results.alerts.map((f) => alertFor(f, owners.get(f.trace_id) ?? null));
  await publishToHub(env, tenant.id, alerts);
  return rows.length;
}

export async function consumeGovernorBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = EvaluateSpans.safeParse(message.body);
    if (!parsed.success) {
      // Retrying cannot fix a malformed body: record it as dead at once.
      await recordDeadLetters(env, [message]);
      message.ack();
      continue;
    }
    try {
      await evaluateMessage(env, message.id, parsed.data);
      message.ack();
    } catch (err) {
      console.error("governor: evaluation failed, will retry", message.id, err);
      message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

async function recordDeadLetters(env: Env, messages: readonly Message<unknown>[]): Promise<void> {
  const stmt = control(env).d1.prepare(
    `INSERT INTO governor_dead_letters (id, tenant_id, message_id, body, attempts, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
  );
  const rows = messages.map((m) => {
    const body = m.body as { tenant_id?: unknown } | null;
    const tenantId = typeof body?.tenant_id === "string" ? body.tenant_id : "unknown";
    return stmt.bind(
      newId("dl_"),
      tenantId,
      m.id,
      JSON.stringify(m.body ?? null).slice(0, 100_000),
      m.attempts,
      Date.now(),
    );
  });
  if (rows.length) await control(env).d1.batch(rows);
}

/** Dead-letter consumer: keeps what died where admins can see it (GET /api/v1/governor/dead-letters). */
export async function consumeGovernorDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await recordDeadLetters(env, batch.messages);
  batch.ackAll();
}
