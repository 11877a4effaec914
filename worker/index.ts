import { buildApp } from "./app";
import { handleQueueBatch } from "./queues";

export { TenantHub } from "./live/tenant-hub";

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
} satisfies ExportedHandler<Env>;
