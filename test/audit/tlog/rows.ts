import { env } from "cloudflare:workers";
import { canonicalJson, leafHashHex } from "../../../worker/audit/leaf";
import { EventCollector } from "../../../worker/audit/tlog/verify.mjs";

/** A realistic stored event body (the AuditEventBody shape) for seq `seq`. */
export function eventBody(tenantId: string, seq: number, extra: Record<string, unknown> = {}) {
  const at = new Date(Date.UTC(2026, 10, 1) + seq * 1000).toISOString();
  return {
    schema_version: "1.0",
    event_id: `evt-${tenantId}-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    tenant_id: tenantId,
    event_type: "refund.initiate",
    crud: "c",
    occurred_at: at,
    received_at: at,
    actor: { type: "user", id: `user-${seq % 7}`, display: "Ann Example" },
    on_behalf_of: null,
    channel: "api",
    source_ip: "10.0.0.1",
    user_agent: null,
    outcome: "success",
    error: null,
    target: [{ type: "order", id: `order-${seq}` }],
    changes: { before: null, after: { amount: seq * 10, currency: "EUR" } },
    changes_ref: null,
    reason: null,
    metadata: { ticket: `T-${seq}` },
    ai: null,
    risk: { level: "none", rules: [] },
    approval: null,
    correlation: {},
    masking: { policy_version: "v1", masked: 0 },
    ...extra,
  };
}

export type StoredRow = { seq: number; body: string; leaf_hash: string };

const INSERT = `INSERT INTO audit_events (tenant_id, seq, event_id, event_type, crud, occurred_at, received_at,
  actor_type, actor_id, user_id, channel, outcome, tool_name, conversation_id, risk_level, trace_id, body, leaf_hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, ?, ?)`;

export async function rowFor(tenantId: string, seq: number, extra: Record<string, unknown> = {}) {
  const body = eventBody(tenantId, seq, extra);
  const canonical = canonicalJson(body);
  return { body, canonical, leafHash: await leafHashHex(canonical) };
}

export async function insertRow(tenantId: string, seq: number, extra: Record<string, unknown> = {}) {
  const r = await rowFor(tenantId, seq, extra);
  const ms = Date.parse(r.body.occurred_at);
  return env.DB.prepare(INSERT).bind(
    tenantId,
    seq,
    r.body.event_id,
    r.body.event_type,
    r.body.crud,
    ms,
    ms,
    r.body.actor.type,
    r.body.actor.id,
    r.body.actor.id,
    r.body.channel,
    r.body.outcome,
    r.body.risk.level,
    r.canonical,
    r.leafHash,
  );
}

/** Inserts seqs from..to (inclusive) for a tenant, as the lead's append path would. */
export async function insertEvents(tenantId: string, from: number, to: number): Promise<void> {
  for (let start = from; start <= to; start += 100) {
    const statements = [];
    for (let seq = start; seq <= Math.min(to, start + 99); seq++)
      statements.push(await insertRow(tenantId, seq));
    await env.DB.batch(statements);
  }
}

export async function storedRows(tenantId: string): Promise<StoredRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT seq, body, leaf_hash FROM audit_events WHERE tenant_id = ? ORDER BY seq, pk",
  )
    .bind(tenantId)
    .all<StoredRow>();
  return results;
}

/** The export/wire line of a stored row: {...body, seq, integrity: {leaf_hash}}. */
export function exportLine(row: StoredRow): string {
  return JSON.stringify({ ...JSON.parse(row.body), seq: row.seq, integrity: { leaf_hash: row.leaf_hash } });
}

export function collect(lines: string[], name = "export.ndjson"): EventCollector {
  const events = new EventCollector();
  const file = events.beginFile(name);
  lines.forEach((line, i) => {
    events.addText(line, file, i + 1);
  });
  return events;
}

export async function exportCollector(tenantId: string): Promise<EventCollector> {
  return collect((await storedRows(tenantId)).map(exportLine));
}

/** Tiles as the verifier fetches them, from the tenant's R2 prefix. */
export function r2Tiles(tenantId: string) {
  return async (path: string) => {
    const object = await env.ARCHIVE.get(`audit/${tenantId}/${path}`);
    return object ? new Uint8Array(await object.arrayBuffer()) : null;
  };
}

export async function r2Checkpoint(tenantId: string): Promise<string | null> {
  return (await env.ARCHIVE.get(`audit/${tenantId}/checkpoint`))?.text() ?? null;
}

export const uniqueTenant = (label = "tlog") => `${label}-${crypto.randomUUID()}`;
