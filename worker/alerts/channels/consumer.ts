/**
 * Queue consumer for `audittrail-alerts`: each message names one delivery. Messages run
 * concurrently, so one slow channel does not hold up another. A failed attempt retries its own
 * message after the delivery's backoff; everything else is acknowledged (delivered, given up, or
 * not ours to send: the minute sweep carries on whatever is still pending and due).
 */
import { deliverOne } from "./deliver";
import { AlertDeliveryMessage } from "./schemas";

async function handle(message: Message<unknown>, env: Env): Promise<void> {
  const parsed = AlertDeliveryMessage.safeParse(message.body);
  if (!parsed.success) {
    console.error("alerts: malformed message dropped", message.id);
    message.ack();
    return;
  }
  try {
    const outcome = await deliverOne(env, parsed.data.tenant_id, parsed.data.delivery_id);
    if (outcome.kind === "retry" || outcome.kind === "waiting") {
      message.retry({ delaySeconds: outcome.delaySeconds });
    } else message.ack();
  } catch (err) {
    console.error("alerts: delivery step failed, will retry", message.id, err);
    message.retry({ delaySeconds: Math.min(300, 10 * 2 ** Math.min(message.attempts, 5)) });
  }
}

export async function consumeAlertBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await Promise.all(batch.messages.map((m) => handle(m, env)));
}
