import { buildApp } from "./app";
import { enqueueEvaluation } from "./governor/enqueue";
import { onIngested } from "./ingest/listeners";
import { publishIngested } from "./live/publish";
import { handleQueueBatch } from "./queues";

export { TenantHub } from "./live/tenant-hub";

// What a stored ingest batch feeds: the live feed first (latency), then the governor queue.
onIngested(publishIngested);
onIngested(enqueueEvaluation);

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
} satisfies ExportedHandler<Env>;
