// Types for the tests that reuse the benchmark's synthetic traces (test/ingest/validate.unit.test.ts).
type Item = Record<string, unknown>;
export type Batch = { traces: Item[]; spans: Item[] };
export function rng(seed: number): () => number;
export function nativeBatch(
  args: {
    prefix: string;
    seed: number;
    traces: number;
    spansPerTrace: number;
    startMs: number;
    spreadMs?: number;
  },
  index: number,
): Batch;
export function treeBatch(
  args: { prefix: string; seed: number; spans: number; startMs: number },
  index: number,
): Batch;
