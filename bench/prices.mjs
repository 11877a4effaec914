// Cloudflare's published prices for what AuditTrail uses, Workers Paid plan (Standard usage model),
// USD. One dated table: when a price page changes, change the figure, its `checked` date and source.
// `usd_per_unit` is the price beyond the plan's included allowance (`included_per_month`, in the same
// unit); `null` means the figure was not found in the pages read, and the cost model says so rather
// than guessing. Read from stored copies of the pages named, on the date given.

const CHECKED = "2026-12-03";
const PER_MILLION = 1 / 1_000_000;

const WORKERS = "https://developers.cloudflare.com/workers/platform/pricing/";
const D1 = "https://developers.cloudflare.com/d1/platform/pricing/";
const QUEUES = "https://developers.cloudflare.com/queues/pricing/";
const DURABLE_OBJECTS = "https://developers.cloudflare.com/durable-objects/platform/pricing";
const R2 =
  "https://raw.githubusercontent.com/cloudflare/cloudflare-docs/production/src/content/docs/r2/pricing.mdx";

export const PRICES = {
  checked: CHECKED,
  plan: "Workers Paid, Standard usage model ($5/month account minimum, not counted here)",
  items: {
    worker_requests: {
      label: "Worker requests",
      unit: "request",
      usd_per_unit: 0.3 * PER_MILLION,
      included_per_month: 10_000_000,
      source: WORKERS,
      note: "inbound requests only; subrequests and static assets are not billed",
    },
    worker_cpu_ms: {
      label: "Worker CPU time",
      unit: "CPU ms",
      usd_per_unit: 0.02 * PER_MILLION,
      included_per_month: 30_000_000,
      source: WORKERS,
      note: "queue consumer invocations bill CPU time the same way",
    },
    d1_rows_read: {
      label: "D1 rows read",
      unit: "row",
      usd_per_unit: 0.001 * PER_MILLION,
      included_per_month: 25_000_000_000,
      source: D1,
      note: "rows scanned, not returned",
    },
    d1_rows_written: {
      label: "D1 rows written",
      unit: "row",
      usd_per_unit: 1 * PER_MILLION,
      included_per_month: 50_000_000,
      source: D1,
      note: "INSERT, UPDATE, DELETE; index and FTS writes count as reported by result meta",
    },
    d1_storage_gb: {
      label: "D1 storage",
      unit: "GB-month",
      usd_per_unit: 0.75,
      included_per_month: 5,
      source: D1,
    },
    queue_operations: {
      label: "Queue operations",
      unit: "operation",
      usd_per_unit: 0.4 * PER_MILLION,
      included_per_month: 1_000_000,
      source: QUEUES,
      note: "one per 64 KB (1 KB = 1,000 bytes, ~100 B metadata per message) written, read or deleted; ~3 per message delivered, +1 read per retry",
    },
    do_requests: {
      label: "Durable Object requests",
      unit: "request",
      usd_per_unit: 0.15 * PER_MILLION,
      included_per_month: 1_000_000,
      source: DURABLE_OBJECTS,
      note: "HTTP requests, RPC sessions (each stub method call is one), alarms, WebSocket upgrades",
    },
    do_duration_gb_s: {
      label: "Durable Object duration",
      unit: "GB-s",
      usd_per_unit: 12.5 * PER_MILLION,
      included_per_month: 400_000,
      source: DURABLE_OBJECTS,
      note: "wall clock while active, billed at 128 MB (0.125 GB) per object; hibernatable sockets stop it",
    },
    do_websocket_messages: {
      label: "Durable Object WebSocket messages in",
      unit: "message",
      // 20 incoming messages bill as one request; outgoing messages and protocol pings are free.
      usd_per_unit: (0.15 * PER_MILLION) / 20,
      billing_ratio: 1 / 20,
      included_per_month: null,
      source: DURABLE_OBJECTS,
      note: "incoming only, at 20:1 into Durable Object requests (shares their allowance); outgoing frames are free",
    },
    do_sqlite_rows_read: {
      label: "Durable Object SQLite rows read",
      unit: "row",
      usd_per_unit: null,
      included_per_month: null,
      source: DURABLE_OBJECTS,
      note: "NOT FOUND in the stored pages: the pricing page copies read show compute billing only; SQLite storage billing began 2026-01-07 (release notes)",
    },
    do_sqlite_rows_written: {
      label: "Durable Object SQLite rows written",
      unit: "row",
      usd_per_unit: null,
      included_per_month: null,
      source: DURABLE_OBJECTS,
      note: "NOT FOUND in the stored pages (see rows read)",
    },
    do_sqlite_storage_gb: {
      label: "Durable Object SQLite storage",
      unit: "GB-month",
      usd_per_unit: null,
      included_per_month: null,
      source: DURABLE_OBJECTS,
      note: "NOT FOUND in the stored pages (see rows read)",
    },
    r2_class_a: {
      label: "R2 Class A operations",
      unit: "operation",
      usd_per_unit: 4.5 * PER_MILLION,
      included_per_month: 1_000_000,
      source: R2,
      note: "Standard storage; PutObject, CopyObject, multipart, List*",
    },
    r2_class_b: {
      label: "R2 Class B operations",
      unit: "operation",
      usd_per_unit: 0.36 * PER_MILLION,
      included_per_month: 10_000_000,
      source: R2,
      note: "Standard storage; GetObject, HeadObject",
    },
    r2_storage_gb: {
      label: "R2 storage",
      unit: "GB-month",
      usd_per_unit: 0.015,
      included_per_month: 10,
      source: R2,
      note: "Standard storage; egress is free. R2's included amounts (10 GB-month, 1M A, 10M B) are from a third-party transcription of the page; the stored page excerpt shows the prices only",
    },
  },
};
