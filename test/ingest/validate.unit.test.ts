import { describe, expect, it } from "vitest";
import { nativeBatch, rng, treeBatch } from "../../bench/data.mjs";
import { IngestBatch } from "../../worker/ingest/schemas";
import { fastBatch, parseIngestBatch } from "../../worker/ingest/validate";
import { ValidationError } from "../../worker/lib/errors";

const now = Date.now();
const COMMON = [
  nativeBatch({ prefix: "v", seed: 3, traces: 2, spansPerTrace: 8, startMs: now - 3_600_000 }, 1),
  treeBatch({ prefix: "v", seed: 3, spans: 12, startMs: now - 3_600_000 }, 2),
];
const common = () => structuredClone(COMMON);

/** Values a field may be set to: right ones, wrong ones and ones at the edges. */
const ODD_VALUES: unknown[] = [
  null,
  "",
  "x",
  "x".repeat(101),
  "x".repeat(129),
  "x".repeat(201),
  "x".repeat(501),
  "bad id!",
  "a.b:c-d_e",
  0,
  -1,
  1.5,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  now,
  now + 2 * 86_400_000,
  true,
  [],
  ["a"],
  [""],
  {},
  { message: "m" },
  { type: "T" },
  { name: "t" },
  { input_tokens: 3, output_tokens: -1 },
  { input_tokens: 3, cost_usd: 0.5 },
  { ["k".repeat(201)]: 1 },
  "ok",
  "error",
  "unset",
  "llm",
  "tool",
  "nope",
  "2026-02-30T00:00:00Z",
  "2024-02-29T12:00:00Z",
  "2026-11-30T10:00:00.1Z",
  "2026-11-30T10:00:00.123456Z",
  "2026-11-30T10:00:00+02:00",
  "2026-11-30T24:00:00Z",
  "2026-11-30T10:00Z",
  "1969-12-31T23:59:59Z",
  "9999-12-31T23:59:59.999Z",
  "2026-11-30 10:00:00Z",
  "2026-11-30T10:00:00.Z",
  "2026-11-30T10:00:00.12Z",
  "2026-11-30T10:00:00.1234Z",
  "2023-02-29T00:00:00Z",
  "2000-02-29T12:00:00Z",
  "2026-04-31T00:00:00Z",
  "2026-11-30T10:60:00Z",
  "2026-11-30T1a:00:00Z",
  "2026-11-30t10:00:00z",
];
const SPAN_KEYS = [
  "id",
  "trace_id",
  "parent_id",
  "type",
  "name",
  "started_at",
  "ended_at",
  "status",
  "error",
  "input",
  "model",
  "provider",
  "usage",
  "tool",
  "attributes",
  "extra",
];
const TRACE_KEYS = ["id", "agent", "name", "started_at", "ended_at", "status", "user_id", "metadata", "tags"];

/** A common batch with one field of one item set to one odd value (or removed). */
function mutated(r: () => number) {
  const batch = common()[r() < 0.5 ? 0 : 1];
  const onSpan = r() < 0.7 || !batch.traces.length;
  const items: Record<string, unknown>[] = onSpan ? batch.spans : batch.traces;
  const item = items[Math.floor(r() * items.length)];
  const keys = onSpan ? SPAN_KEYS : TRACE_KEYS;
  const key = keys[Math.floor(r() * keys.length)];
  if (r() < 0.1) delete item[key];
  else item[key] = structuredClone(ODD_VALUES[Math.floor(r() * ODD_VALUES.length)]);
  return batch;
}

describe("the fast path of ingest validation", () => {
  it("takes the common shape and returns what the schema returns", () => {
    for (const batch of common()) {
      const fast = fastBatch(batch);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(IngestBatch.parse(batch));
    }
  });

  it("never accepts what the schema refuses, and never returns something else", () => {
    const r = rng(11);
    let taken = 0;
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const batch = mutated(r);
      const fast = fastBatch(batch);
      const zod = IngestBatch.safeParse(batch);
      if (!zod.success) refused++;
      if (fast === null) continue;
      taken++;
      expect(zod.success, JSON.stringify(batch).slice(0, 300)).toBe(true);
      expect(fast).toEqual(zod.data);
    }
    expect(taken).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });

  it("leaves odd top levels to the schema", () => {
    for (const raw of [null, [], "x", {}, { traces: [], spans: [] }, { spans: {} }]) {
      expect(fastBatch(raw)).toBeNull();
    }
  });

  it("reports the schema's errors when the batch is invalid", () => {
    const [batch] = common();
    batch.spans[3].type = "nope";
    expect(() => parseIngestBatch(batch)).toThrow(ValidationError);
    try {
      parseIngestBatch(batch);
    } catch (err) {
      expect((err as ValidationError).details?.[0]?.path).toBe("spans.3.type");
    }
  });
});
