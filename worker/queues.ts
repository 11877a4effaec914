import { consumeAlertBatch } from "./alerts/channels/consumer";
import { consumeAnalyticsBatch } from "./analytics/consumer";
import { consumeSiemBatch } from "./audit/siem/consumer";
import { consumeGovernorBatch, consumeGovernorDeadLetters } from "./governor/consumer";

/** Routes each queue batch to the feature that consumes it (queue names from wrangler.toml). */
export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue.endsWith("-governor-dlq")) return consumeGovernorDeadLetters(batch, env);
  if (batch.queue.endsWith("-governor")) return consumeGovernorBatch(batch, env);
  if (batch.queue.endsWith("-analytics")) return consumeAnalyticsBatch(batch, env);
  if (batch.queue.endsWith("-siem")) return consumeSiemBatch(batch, env);
  if (batch.queue.endsWith("-alerts")) return consumeAlertBatch(batch, env);
  console.error(`no consumer for queue ${batch.queue}`);
  batch.retryAll();
}
