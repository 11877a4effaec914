// Where the analytics fold runs: what it costs in D1 rows written when it folds after every
// ingest request (what folding inside each ingest batch would write) against folding the same
// traffic once the traces are complete (what the queue step does when requests coalesce). Traces
// arrive as clients send them: spans in several requests, the trace object with the last.
// The server runs with ANALYTICS_FOLD=cron, so the fold runs only when this program fires the
// minute cron; the fold's own cost is read from the freshness figures it records.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalServer } from "../scripts/local-server.mjs";
import { nativeBatch, treeBatch } from "./data.mjs";
import { envInt, log, round, writeResult } from "./lib.mjs";
import { createTenant } from "./server.mjs";

const SHAPES = {
  /** 10 traces of 20 spans per trace-group, each trace's spans over 4 requests. */
  traces_of_20: (i, part) => {
    const b = nativeBatch(
      { prefix: "rc", seed: 11, traces: 10, spansPerTrace: 20, startMs: Date.now() - 3_600_000 },
      i,
    );
    const spans = b.spans.filter((_, j) => j % 20 >= part * 5 && j % 20 < part * 5 + 5);
    return { traces: part === 3 ? b.traces : [], spans, parts: 4 };
  },
  /** One trace of 500 spans over 5 requests. */
  tree_of_500: (i, part) => {
    const b = treeBatch({ prefix: "rc", seed: 12, spans: 500, startMs: Date.now() - 3_600_000 }, i);
    return {
      traces: part === 4 ? b.traces : [],
      spans: b.spans.slice(part * 100, part * 100 + 100),
      parts: 5,
    };
  },
};

async function fold(base, key) {
  const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
  await res.text();
  const overview = await fetch(`${base}/api/v1/analytics/overview`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const { freshness } = await overview.json();
  return freshness;
}

async function send(base, key, batch) {
  const res = await fetch(`${base}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ traces: batch.traces, spans: batch.spans }),
  });
  const timing = res.headers.get("server-timing") ?? "";
  await res.text();
  if (res.status !== 200) throw new Error(`ingest: HTTP ${res.status}`);
  return Number(/d1-rows-written;desc="(\d+)"/.exec(timing)?.[1] ?? 0);
}

/** Sends `groups` trace groups of a shape; folds after every request or once per group. */
async function measure(base, shape, groups, perRequest) {
  const { key } = await createTenant(base);
  let spans = 0;
  let ingestRows = 0;
  let foldRows = 0;
  for (let i = 0; i < groups; i++) {
    const parts = SHAPES[shape](i, 0).parts;
    for (let part = 0; part < parts; part++) {
      const batch = SHAPES[shape](i, part);
      ingestRows += await send(base, key, batch);
      spans += batch.spans.length;
      if (perRequest) foldRows += (await fold(base, key)).last_rows_written;
    }
    if (!perRequest) foldRows += (await fold(base, key)).last_rows_written;
  }
  return {
    spans,
    ingest_rows_written_per_span: round(ingestRows / spans, 3),
    fold_rows_written_per_span: round(foldRows / spans, 3),
  };
}

export async function run() {
  const groups = envInt("BENCH_ROLLUP_GROUPS", 12);
  const dir = mkdtempSync(join(tmpdir(), "bench-rollup-"));
  const server = await startLocalServer({ persistTo: dir, vars: { ANALYTICS_FOLD: "cron", DATA_DBS: "DB" } });
  const figures = {};
  try {
    for (const shape of Object.keys(SHAPES)) {
      const perRequest = await measure(server.url, shape, groups, true);
      const coalesced = await measure(server.url, shape, groups, false);
      figures[shape] = {
        ingest_rows_written_per_span: coalesced.ingest_rows_written_per_span,
        fold_per_request_rows_written_per_span: perRequest.fold_rows_written_per_span,
        fold_per_trace_rows_written_per_span: coalesced.fold_rows_written_per_span,
        per_request_over_per_trace: round(
          perRequest.fold_rows_written_per_span / coalesced.fold_rows_written_per_span,
          2,
        ),
        spans: coalesced.spans,
      };
      log(`rollup cost, ${shape}:`, JSON.stringify(figures[shape]));
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return writeResult("rollup-cost", { groups }, figures);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
