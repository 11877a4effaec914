/** The "send test" button: a test notice sent now, outside the queue, its outcome recorded. */
import type { AuditRecorder } from "../../audit/recorder";
import type { Principal } from "../../env";
import { newId } from "../../lib/ids";
import { scrub } from "./deliver";
import { render } from "./formats";
import { type SendResult, send } from "./post";
import { mustGetChannel } from "./queries";
import { type ChannelSecret, openChannelSecret } from "./secret";
import { auditTarget, type ChannelRow } from "./store";
import { testNotices } from "./test-notice";

async function sendTest(env: Env, row: ChannelRow): Promise<SendResult> {
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
  let result: SendResult = { ok: false, status: null, error: "nothing to send" };
  for (const notice of testNotices(row)) {
    const envelope = { channelId: row.id, deliveryId: `test_${newId()}`, appUrl: env.APP_URL };
    result = await send(env, await render(row.kind, secret, notice, envelope));
    if (!result.ok) break;
  }
  return { ...result, error: result.error && scrub(result.error, [secret.url, secret.routing_key]) };
}

/** Sends a test notice now, records what came back on the channel, and audits the test. */
export async function testChannel(rec: AuditRecorder, p: Principal, id: string): Promise<SendResult> {
  const db = rec.d1;
  const row = await mustGetChannel(db, p.tenant.id, id);
  const result = await sendTest(rec.env, row);
  const update = db
    .prepare(
      `UPDATE alert_channels SET last_status = ?1, last_error = ?2, last_attempt_at = ?3,
         last_success_at = CASE WHEN ?4 THEN ?3 ELSE last_success_at END WHERE tenant_id = ?5 AND id = ?6`,
    )
    .bind(result.status, result.ok ? null : result.error, Date.now(), result.ok ? 1 : 0, p.tenant.id, id);
  await rec.commit(
    [update],
    [
      {
        event_type: "alert_channel.tested",
        crud: "r",
        target: auditTarget(row),
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
