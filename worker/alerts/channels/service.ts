/**
 * Alert channel management. Every change is committed in one D1 batch with its audit event
 * (`alert_channel.created|updated|deleted`); credentials never appear in events or responses,
 * only the target's host (`target_hint`).
 */
import type { AuditRecorder } from "../../audit/recorder";
import type { Principal } from "../../env";
import { ConflictError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { allowPrivateOutbound, checkOutboundUrl } from "../../lib/outbound-url";
import { enqueueDeliveries } from "./notify";
import { mustGetChannel, readChannel } from "./queries";
import {
  type AlertChannelCreate,
  type AlertChannelCreated,
  type AlertChannelPatch,
  PAGERDUTY_EVENTS_URL,
} from "./schemas";
import {
  type ChannelSecret,
  newSigningSecret,
  openChannelSecret,
  sealChannelSecret,
  targetHint,
} from "./secret";
import { auditTarget, type ChannelRow } from "./store";

export const MAX_CHANNELS_PER_TENANT = 20;

function checkedUrl(env: Env, raw: string): string {
  const check = checkOutboundUrl(raw, allowPrivateOutbound(env));
  if (!check.ok) {
    throw new ValidationError("Please correct the highlighted fields", [
      { path: "url", message: check.reason },
    ]);
  }
  return check.url.href;
}

const configOf = (r: Pick<ChannelRow, "kind" | "name" | "target_hint" | "min_severity" | "enabled">) => ({
  kind: r.kind,
  name: r.name,
  target_hint: r.target_hint,
  min_severity: r.min_severity,
  enabled: r.enabled === 1,
});

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
        target: auditTarget({ id, name: row.name }),
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
  const row = await mustGetChannel(db, p.tenant.id, id);
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
  // New credentials: what is waiting in backoff for the old target is tried again now.
  const retryNow = db
    .prepare(
      `UPDATE alert_deliveries SET next_attempt_at = ?1
       WHERE tenant_id = ?2 AND channel_id = ?3 AND status = 'pending' AND ?4 RETURNING id`,
    )
    .bind(Date.now(), p.tenant.id, id, secret ? 1 : 0);
  const pick = (o: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, o[k]]));
  const { results } = await rec.commit(
    [update, retryNow],
    [
      {
        event_type: "alert_channel.updated",
        crud: "u",
        target: auditTarget({ id, name: after.name }),
        changes: { before: pick(before), after: pick(after) },
        ...(secret ? { metadata: { credentials_replaced: true } } : {}),
      },
    ],
  );
  const due = (results[1]?.results ?? []) as { id: string }[];
  await enqueueDeliveries(
    rec.env,
    p.tenant.id,
    due.map((r) => r.id),
  );
  return readChannel(rec.tenant, id);
}

export async function deleteChannel(rec: AuditRecorder, p: Principal, id: string): Promise<void> {
  const db = rec.d1;
  const row = await mustGetChannel(db, p.tenant.id, id);
  await rec.commit(
    [
      db.prepare("DELETE FROM alert_channels WHERE tenant_id = ? AND id = ?").bind(p.tenant.id, id),
      db.prepare("DELETE FROM alert_deliveries WHERE tenant_id = ? AND channel_id = ?").bind(p.tenant.id, id),
    ],
    [
      {
        event_type: "alert_channel.deleted",
        crud: "d",
        target: auditTarget(row),
        changes: { before: configOf(row) },
      },
    ],
  );
}
