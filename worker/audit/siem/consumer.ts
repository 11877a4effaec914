/**
 * Queue consumer for `audittrail-siem`: each message names one endpoint. Messages run concurrently,
 * so one slow or failing endpoint does not hold up another tenant's; a failed delivery retries
 * its own message with the endpoint's backoff. Everything else is acknowledged: a busy endpoint's
 * lease holder, a not-yet-due endpoint's retry, or the cron sweep carries on from the cursor.
 */
import { deliverEndpoint } from "./deliver";
import { SiemMessage } from "./schemas";

async function handle(message: Message<unknown>, env: Env): Promise<void> {
  const parsed = SiemMessage.safeParse(message.body);
  if (!parsed.success) {
    console.error("siem: malformed message dropped", message.id);
    message.ack();
    return;
  }
  const pending: Promise<unknown>[] = [];
  try {
    const outcome = await deliverEndpoint(env, parsed.data.tenant_id, parsed.data.endpoint_id, {
      waitUntil: (p) => pending.push(p),
    });
    if (outcome.kind === "failed") message.retry({ delaySeconds: outcome.delaySeconds });
    else message.ack();
  } catch (err) {
    console.error("siem: delivery step failed, will retry", message.id, err);
    message.retry({ delaySeconds: Math.min(300, 10 * 2 ** Math.min(message.attempts, 5)) });
  } finally {
    await Promise.allSettled(pending);
  }
}

export async function consumeSiemBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await Promise.all(batch.messages.map((m) => handle(m, env)));
}
