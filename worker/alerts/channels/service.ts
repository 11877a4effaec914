/**
 * Alert channel management. Every change is committed in one D1 batch with its audit event
 * (`alert_channel.created|updated|deleted|tested`); credentials never appear in events or
 * responses, only the target's host (`target_hint`).
 */

import type { AuditRecorder } from "../../audit/recorder";
import { auditLog, type TenantContext } from "../../db/client";
import type { Principal } from "../../env";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { allowPrivateOutbound, checkOutboundUrl } from "../../lib/outbound-url";
import { scrub } from "./deliver";
import { render } from "./formats";
import { send } from "./post";
import {
  type AlertChannel,
  type AlertChannelCreate,
  type AlertChannelCreated,
  type AlertChannelPatch,
  type AlertDelivery,
  PAGERDUTY_EVENTS_URL,
} from "./schemas";
import {
  type ChannelSecret,
  newSigningSecret,
  openChannelSecret,
  sealChannelSecret,
  targetHint,
} from "./secret";
import {
  CHANNEL_COLUMNS,
  type ChannelRow,
  type DeliveryRow,
  getChannel,
  toChannel,
  toDelivery,
} from "./store";
import { testNotices } from "./test-notice";

export const MAX_CHANNELS_PER_TENANT = 20;
const RECENT_DELIVERIES = 50;

function checkedUrl(env: Env, raw: string): string {
  const check = checkOutboundUrl(raw, allowPrivateOutbound(env));
  if (!check.ok)
    throw new ValidationError("Please correct the highlighted fields", [
      { path: "url", message: check.reason },
    ]);
  return check.url.href;
}

async function mustGet(db: D1Database, tenantId: string, id: string): Promise<ChannelRow> {
  const row = await getChannel(db, tenantId, id);
  if (!row) throw new NotFoundError("Alert channel");
  return row;
}

const targetOf = (r: { id: string; name: string }) => [{ type: "alert_channel", id: r.id, name: r.name }];
const configOf = (r: Pick<ChannelRow, "kind" | "name" | "target_hint" | "min_severity" | "enabled">) => ({
  kind: r.kind,
  name: r.name,
  target_hint: r.target_hint,
  min_severity: r.min_severity,
  enabled: r.enabled === 1,
});

export async function listChannels(tenant: TenantContext): Promise<{ data: AlertChannel[] }> {
  const { results } = await auditLog(tenant)
    .d1.prepare(`SELECT ${CHANNEL_COLUMNS} FROM alert_channels WHERE tenant_id = ? ORDER BY created_at, id`)
    .bind(tenant.id)
    .all<ChannelRow>();
  return { data: results.map(toChannel) };
}

export async function readChannel(tenant: TenantContext, id: string): Promise<AlertChannel> {
  return toChannel(await mustGet(auditLog(tenant).d1, tenant.id, id));
}

function secretOf(env: Env, input: AlertChannelCreate): ChannelSecret {
  if (input.kind === "pagerduty") {
    return { url: checkedUrl(env, input.url ?? PAGERDUTY_EVENTS_URL), routing_key: input.routing_key };
  }
  const url = checkedUrl(env, input.url);
  return input.kind === "webhook" ? { url, signing_secret: newSigningSecret() } : { url };
}

export async function createChannel(
  rec: AuditRecorder,
  p: Principal,
  input: AlertChannelCreate,
): Promise<AlertChannelCreated> {
  const db = rec.d1;
  const tenantId = p.tenant.id;
  const secret = secretOf(rec.env, input);
  const count = await db
    .prepare("SELECT count(*) AS n FROM alert_channels WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ n: number }>();
  if ((count?.n ?? 0) >= MAX_CHANNELS_PER_TENANT) {
    throw new ConflictError(`A tenant can have at most ${MAX_CHANNELS_PER_TENANT} alert channels`);
  }
  const id = newId("ach_");
  const row = {
    kind: input.kind,
    name: input.name,
    target_hint: targetHint(secret.url),
    min_severity: input.min_severity,
    enabled: input.enabled ? 1 : 0,
  };
  const insert = db
    .prepare(
      `INSERT INTO alert_channels (id, tenant_id, kind, name, secret_cipher, target_hint, min_severity, enabled,
         created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
    )
    .bind(
      id,
      tenantId,
      row.kind,
      row.name,
      await sealChannelSecret(rec.env, tenantId, id, secret),
      row.target_hint,
      row.min_severity,
      row.enabled,
      Date.now(),
      p.userId,
    );
  await rec.commit(
    [insert],
    [
      {
        event_type: "alert_channel.created",
        crud: "c",
        target: targetOf({ id, name: row.name }),
        changes: { after: configOf(row) },
      },
    ],
  );
  const created = await readChannel(rec.tenant, id);
  return secret.signing_secret ? { ...created, signing_secret: secret.signing_secret } : created;
}

/** The credentials after a patch, or null when it does not touch them. */
async function patchedSecret(
  env: Env,
  row: ChannelRow,
  patch: AlertChannelPatch,
): Promise<ChannelSecret | null> {
  if (patch.routing_key !== undefined && row.kind !== "pagerduty") {
    throw new ValidationError("Please correct the highlighted fields", [
      { path: "routing_key", message: "only PagerDuty channels have a routing key" },
    ]);
  }
  if (patch.url === undefined && patch.routing_key === undefined) return null;
  const old = await openChannelSecret(env, row.tenant_id, row.id, row.secret_cipher);
  return {
    ...old,
    ...(patch.url === undefined ? {} : { url: checkedUrl(env, patch.url) }),
    ...(patch.routing_key === undefined ? {} : { routing_key: patch.routing_key }),
  };
}

export async function updateChannel(rec: AuditRecorder, p: Principal, id: string, patch: AlertChannelPatch) {
  const db = rec.d1;
  const row = await mustGet(db, p.tenant.id, id);
  const secret = await patchedSecret(rec.env, row, patch);
  const before = configOf(row);
  const after = {
    ...before,
    name: patch.name ?? before.name,
    min_severity: patch.min_severity ?? before.min_severity,
    enabled: patch.enabled ?? before.enabled,
    target_hint: secret ? targetHint(secret.url) : before.target_hint,
  };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => after[k] !== before[k]);
  if (!changed.length && !secret) return readChannel(rec.tenant, id);
  const cipher = secret ? await sealChannelSecret(rec.env, p.tenant.id, id, secret) : row.secret_cipher;
  const update = db
    .prepare(
      `UPDATE alert_channels SET name = ?1, min_severity = ?2, enabled = ?3, target_hint = ?4, secret_cipher = ?5
       WHERE tenant_id = ?6 AND id = ?7`,
    )
    .bind(after.name, after.min_severity, after.enabled ? 1 : 0, after.target_hint, cipher, p.tenant.id, id);
  const pick = (o: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, o[k]]));
  await rec.commit(
    [update],
    [
      {
        event_type: "alert_channel.updated",
        crud: "u",
        target: targetOf({ id, name: after.name }),
        changes: { before: pick(before), after: pick(after) },
        ...(secret ? { metadata: { credentials_replaced: true } } : {}),
      },
    ],
  );
  return readChannel(rec.tenant, id);
}

export async function deleteChannel(rec: AuditRecorder, p: Principal, id: string): Promise<void> {
  const db = rec.d1;
  const row = await mustGet(db, p.tenant.id, id);
  await rec.commit(
    [
      db.prepare("DELETE FROM alert_channels WHERE tenant_id = ? AND id = ?").bind(p.tenant.id, id),
      db.prepare("DELETE FROM alert_deliveries WHERE tenant_id = ? AND channel_id = ?").bind(p.tenant.id, id),
    ],
    [
      {
        event_type: "alert_channel.deleted",
        crud: "d",
        target: targetOf(row),
        changes: { before: configOf(row) },
      },
    ],
  );
}

async function sendTest(env: Env, row: ChannelRow) {
  let secret: ChannelSecret;
  try {
    secret = await openChannelSecret(env, row.tenant_id, row.id, row.secret_cipher);
  } catch {
    return {
      ok: false,
      status: null,
      error: "cannot decrypt the channel's credentials (was SECRETS_KEY changed?)",
    };
  }
  let result = { ok: false, status: null as number | null, error: null as string | null };
  for (const notice of testNotices(row)) {
    const out = await render(row.kind, secret, notice, {
      channelId: row.id,
      deliveryId: `test_${newId()}`,
      appUrl: env.APP_URL,
    });
    result = await send(env, out);
    if (!result.ok) break;
  }
  return { ...result, error: result.error && scrub(result.error, [secret.url, secret.routing_key]) };
}

/** Sends a test notice now, records what came back on the channel, and audits the test. */
export async function testChannel(rec: AuditRecorder, p: Principal, id: string) {
  const db = rec.d1;
  const row = await mustGet(db, p.tenant.id, id);
  const result = await sendTest(rec.env, row);
  const now = Date.now();
  const update = db
    .prepare(
      `UPDATE alert_channels SET last_status = ?1, last_error = ?2, last_attempt_at = ?3,
         last_success_at = CASE WHEN ?4 THEN ?3 ELSE last_success_at END WHERE tenant_id = ?5 AND id = ?6`,
    )
    .bind(result.status, result.ok ? null : result.error, now, result.ok ? 1 : 0, p.tenant.id, id);
  await rec.commit(
    [update],
    [
      {
        event_type: "alert_channel.tested",
        crud: "r",
        target: targetOf(row),
        outcome: result.ok ? "success" : "failure",
        ...(result.ok
          ? {}
          : { error: { code: "alert_channel_test_failed", message: result.error ?? "failed" } }),
        metadata: { status: result.status },
      },
    ],
  );
  return { ok: result.ok, status: result.status, error: result.ok ? null : result.error };
}

export async function listDeliveries(tenant: TenantContext, id: string): Promise<{ data: AlertDelivery[] }> {
  const db = auditLog(tenant).d1;
  await mustGet(db, tenant.id, id);
  const { results } = await db
    .prepare(
      `SELECT * FROM alert_deliveries WHERE tenant_id = ? AND channel_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(tenant.id, id, RECENT_DELIVERIES)
    .all<DeliveryRow>();
  return { data: results.map(toDelivery) };
}
