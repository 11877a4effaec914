/** Routes each queue batch to the feature that consumes it (queue names from wrangler.toml). */
export async function handleQueueBatch(batch: MessageBatch<unknown>, _env: Env): Promise<void> {
  console.error(`no consumer for queue ${batch.queue}`);
  batch.retryAll();
}
