import { detectAfterFold } from "./alerts/sweep";
import { scheduleFold } from "./analytics/consumer";
import { onFolded } from "./analytics/fold";
import { buildApp } from "./app";
import { enqueueEvaluation } from "./governor/enqueue";
import { onIngested } from "./ingest/listeners";
import { publishIngested } from "./live/publish";
import { handleQueueBatch } from "./queues";
import { handleScheduled } from "./scheduled";

export { AuditLog } from "./audit/tlog/audit-log";
export { TenantHub } from "./live/tenant-hub";

// What a stored ingest batch feeds: the live feed first (latency), the governor queue, the analytics fold.
onIngested(publishIngested);
onIngested(enqueueEvaluation);
onIngested(scheduleFold);
// Fresh rollups feed the alert detectors (at most once a minute per tenant).
onFolded(detectAfterFold);

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
