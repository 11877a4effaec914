import { describe, expect, it } from "vitest";
import { type Counters, costPerMillionSpans, formatCost } from "../../bench/cost.mjs";
import { PRICES, type PriceTable } from "../../bench/prices.mjs";

const zero: Counters = {
  worker_requests: 0,
  worker_cpu_ms: 0,
  d1_rows_read: 0,
  d1_rows_written: 0,
  d1_storage_gb: 0,
  queue_operations: 0,
  do_requests: 0,
  do_duration_gb_s: 0,
  do_websocket_messages: 0,
  r2_class_a: 0,
  r2_class_b: 0,
  r2_storage_gb: 0,
};

/** 500-span batches: 2,000 requests per million spans, and round figures for the rest. */
const measured: Counters = {
  worker_requests: 2_000,
  worker_cpu_ms: 60_000,
  d1_rows_read: 3_000_000,
  d1_rows_written: 1_500_000,
  d1_storage_gb: 2,
  queue_operations: 6_000,
  do_requests: 2_000,
  do_duration_gb_s: 500,
  do_websocket_messages: 20_000,
  r2_class_a: 1_000,
  r2_class_b: 100,
  r2_storage_gb: 4,
};

const usdOf = (counters: Counters, item: keyof Counters) =>
  costPerMillionSpans(counters).lines.find((l) => l.item === item)?.usd;

describe("costPerMillionSpans", () => {
  it("prices each counter at its published rate beyond the allowance", () => {
    // Hand-computed from bench/prices.mjs: quantity × (USD per million / 1e6), or × USD per GB-month.
    const expected: Record<keyof Counters, number> = {
      worker_requests: 0.0006, // 2,000 × $0.30/M
      worker_cpu_ms: 0.0012, // 60,000 × $0.02/M
      d1_rows_read: 0.003, // 3M × $0.001/M
      d1_rows_written: 1.5, // 1.5M × $1.00/M
      d1_storage_gb: 1.5, // 2 GB × $0.75
      queue_operations: 0.0024, // 6,000 × $0.40/M
      do_requests: 0.0003, // 2,000 × $0.15/M
      do_duration_gb_s: 0.00625, // 500 × $12.50/M
      do_websocket_messages: 0.00015, // 20,000 / 20 = 1,000 requests × $0.15/M
      r2_class_a: 0.0045, // 1,000 × $4.50/M
      r2_class_b: 0.000036, // 100 × $0.36/M
      r2_storage_gb: 0.06, // 4 GB × $0.015
    };
    const result = costPerMillionSpans(measured);
    for (const line of result.lines) expect(line.usd, line.item).toBeCloseTo(expected[line.item], 10);
    expect(result.total_usd).toBeCloseTo(3.078436, 10);
    expect(result.unpriced).toEqual([]);
    expect(result.lines.map((l) => l.item)).toEqual(Object.keys(zero));
  });

  it("returns quantity and unit price on every line", () => {
    const line = costPerMillionSpans({ ...zero, d1_rows_written: 2_000_000 }).lines.find(
      (l) => l.item === "d1_rows_written",
    );
    expect(line).toMatchObject({ quantity: 2_000_000, unit_price: 1e-6, usd: 2 });
  });

  it("bills incoming WebSocket messages at one Durable Object request per 20", () => {
    expect(usdOf({ ...zero, do_websocket_messages: 20_000_000 }, "do_websocket_messages")).toBeCloseTo(
      0.15,
      10,
    );
  });

  it("costs nothing for nothing", () => {
    expect(costPerMillionSpans(zero).total_usd).toBe(0);
  });

  it("leaves a counter whose price is unknown out of the total and names it", () => {
    const prices: PriceTable = {
      ...PRICES,
      items: { ...PRICES.items, r2_class_b: { ...PRICES.items.r2_class_b, usd_per_unit: null } },
    };
    const result = costPerMillionSpans({ ...zero, r2_class_b: 1_000_000, r2_class_a: 1_000_000 }, prices);
    expect(result.lines.find((l) => l.item === "r2_class_b")?.usd).toBeNull();
    expect(result.total_usd).toBeCloseTo(4.5, 10);
    expect(result.unpriced).toEqual(["r2_class_b"]);
  });

  it("refuses a missing or negative counter rather than pricing it at zero", () => {
    const { d1_rows_read: _, ...missing } = measured;
    expect(() => costPerMillionSpans(missing as Counters)).toThrow(/d1_rows_read/);
    expect(() => costPerMillionSpans({ ...measured, queue_operations: -1 })).toThrow(/queue_operations/);
  });
});

describe("the price table", () => {
  it("dates every figure and names its source page", () => {
    expect(PRICES.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [key, item] of Object.entries(PRICES.items)) {
      expect(item.source, key).toMatch(/^https:\/\//);
      if (item.usd_per_unit === null) expect(item.note, key).toMatch(/NOT FOUND/);
    }
  });
});

describe("formatCost", () => {
  it("prints one row per line, the largest first, and the total", () => {
    const text = formatCost(costPerMillionSpans(measured));
    const rows = text.split("\n");
    expect(rows[0]).toMatch(/^item\s+quantity\s+unit\s+unit price\s+USD\s+share$/);
    expect(rows[2]).toMatch(/^D1 rows written\s+1,500,000\s+row\s+\$1\.00\/M\s+\$1\.5000\s+48\.7%$/);
    expect(text).toMatch(/Durable Object WebSocket messages in\s+20,000\s+message\s+\$0\.0075\/M/);
    expect(text).toMatch(/total per million spans\s+\$3\.0784$/m);
    expect(text).toContain("marginal cost");
  });
});
