// Cloudflare's published prices (Workers Paid plan, USD), as read on 2026-12-03 from the pages named
// in `source`. The cost model charges every unit at the rate beyond the plan's monthly allowance
// (a fleet that needs this page has used the allowance up), so figures are marginal costs.
export const PRICES = {
  read_on: "2026-12-03",
  worker_request: {
    usd_per_million: 0.3,
    source: "https://developers.cloudflare.com/workers/platform/pricing/",
  },
  worker_cpu_ms: {
    usd_per_million: 0.02,
    source: "https://developers.cloudflare.com/workers/platform/pricing/",
  },
  d1_row_read: { usd_per_million: 0.001, source: "https://developers.cloudflare.com/d1/platform/pricing/" },
  d1_row_written: {
    usd_per_million: 1.0,
    source: "https://developers.cloudflare.com/d1/platform/pricing/",
    note: "every index entry written counts as a row written",
  },
  d1_storage_gb_month: { usd: 0.75, source: "https://developers.cloudflare.com/d1/platform/pricing/" },
  queue_operation: {
    usd_per_million: 0.4,
    source: "https://developers.cloudflare.com/queues/platform/pricing/",
    note: "a write, a read and a delete per message, each per 64 KB",
  },
  do_request: {
    usd_per_million: 0.15,
    source: "https://developers.cloudflare.com/durable-objects/platform/pricing/",
    note: "RPC calls count as requests; incoming WebSocket messages at 20:1",
  },
  do_duration_gb_s: {
    usd_per_million: 12.5,
    source: "https://developers.cloudflare.com/durable-objects/platform/pricing/",
  },
  r2_class_a: { usd_per_million: 4.5, source: "https://developers.cloudflare.com/r2/pricing/" },
  r2_class_b: { usd_per_million: 0.36, source: "https://developers.cloudflare.com/r2/pricing/" },
  r2_storage_gb_month: { usd: 0.015, source: "https://developers.cloudflare.com/r2/pricing/" },
  // What a user compares with: Langfuse Cloud bills $8 per 100,000 units beyond its plan.
  langfuse_usd_per_million_spans: {
    usd: 80,
    source: "https://langfuse.com/pricing",
  },
};
