// Worker CPU outside SQL for one 500-span native batch, stage by stage: the worker's own modules run in
// Node (bench/worker-import.mjs) on the bodies `npm run bench` sends. zod runs jitless, as it must on
// Workers (no `new Function` there), so validation costs what it costs in production.
// Run alone: `node bench/ingest-cpu.mjs`; bench/ingest.mjs reports these figures with its own.

import { nativeBatch, treeBatch } from "./data.mjs";
import { envInt, log, percentile, round, writeResult } from "./lib.mjs";
import { importWorker } from "./worker-import.mjs";

const { z } = await import("zod");
z.config({ jitless: true });
const { parseJson } = await importWorker("lib/body.ts");
const { parseIngestBatch } = await importWorker("ingest/validate.ts");
const { keepUnmapped } = await importWorker("ingest/service/unmapped.ts");
const { normalizeBatch } = await importWorker("ingest/service/normalize.ts");
const { storeParams } = await importWorker("ingest/service/store.ts");
const { ingestEvents } = await importWorker("live/publish.ts");

const SHAPES = {
  traces_of_20: (i) =>
    nativeBatch(
      {
        prefix: "cpu",
        seed: 7,
        traces: 25,
        spansPerTrace: 20,
        startMs: Date.now() - 3_600_000,
        spreadMs: 3_600_000,
      },
      i,
    ),
  tree_of_500: (i) => treeBatch({ prefix: "cpu", seed: 7, spans: 500, startMs: Date.now() - 3_600_000 }, i),
};

function stages(bytes) {
  const t = [performance.now()];
  const raw = parseJson(bytes);
  t.push(performance.now());
  const batch = parseIngestBatch(raw);
  t.push(performance.now());
  keepUnmapped(raw, batch);
  t.push(performance.now());
  const rows = normalizeBatch(batch, "t_bench");
  t.push(performance.now());
  storeParams(rows);
  t.push(performance.now());
  const spanIds = new Set(rows.spans.map((s) => s.id));
  ingestEvents({
    tenant: { id: "t", name: "t", dataDb: "DB" },
    apiKeyId: null,
    userId: "u",
    batch,
    spanRows: rows.spans,
    receivedAt: 0,
    newTraceIds: new Set(batch.traces.map((x) => x.id)),
    newSpanIds: spanIds,
  });
  t.push(performance.now());
  return t.slice(1).map((v, i) => v - t[i]);
}

const NAMES = ["parse_json", "validate", "unmapped", "normalize", "statement_params", "live_events"];

export function ingestCpu(batches = envInt("BENCH_CPU_BATCHES", 200)) {
  const figures = {};
  for (const [shape, make] of Object.entries(SHAPES)) {
    const bodies = Array.from({ length: batches }, (_, i) =>
      new TextEncoder().encode(JSON.stringify(make(i))),
    );
    const spans = make(0).spans.length;
    for (let i = 0; i < 30; i++) stages(bodies[i % bodies.length]); // warm up the JIT
    const samples = NAMES.map(() => []);
    for (const b of bodies) {
      for (const [k, ms] of stages(b).entries()) samples[k].push(ms);
    }
    const median = Object.fromEntries(NAMES.map((n, k) => [n, round(percentile(samples[k], 50), 3)]));
    // Live events are built only while someone watches the feed (the hub is asked first).
    const total = NAMES.filter((n) => n !== "live_events").reduce((a, n) => a + median[n], 0);
    figures[shape] = {
      spans,
      ms_per_batch: median,
      total_ms: round(total, 2),
      us_per_span: round((1000 * total) / spans, 1),
      live_events_us_per_span: round((1000 * median.live_events) / spans, 1),
    };
    log(
      `  worker CPU outside SQL, ${shape}: ${figures[shape].us_per_span} µs/span (+${figures[shape].live_events_us_per_span} while the feed is watched) ${JSON.stringify(median)} ms`,
    );
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeResult("ingest-cpu", { batches: envInt("BENCH_CPU_BATCHES", 200), zod: "jitless" }, ingestCpu());
}
