// The fold's reads go by key: SQLite's planner, left alone, walked every rollup row of the tenant
// and probed the page's keys against each (52 M rows read for one fold of 1,464 traces over 1,000
// capabilities), and the changed-traces read must ride the (tenant_id, updated_at) index.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CHANGED_TRACES } from "../../worker/analytics/facts";
import { ROLLUP_READS } from "../../worker/analytics/fold";

async function plan(sql: string, ...params: unknown[]) {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}

describe("analytics fold query plans", () => {
  it("reads changed traces through the tenant's updated_at index", async () => {
    const detail = await plan(CHANGED_TRACES, "t", 0, 0, 500);
    expect(detail).toMatch(
      /SEARCH t USING INDEX traces_tenant_id_updated_at_idx \(tenant_id=\? AND updated_at>\?\)/,
    );
    expect(detail).not.toMatch(/SCAN t\b/);
  });

  for (const [name, sql] of Object.entries(ROLLUP_READS)) {
    it(`reads the ${name} rows a page touches by their key, the keys the outer loop`, async () => {
      const detail = await plan(sql, "t", '[[1, "a", "b"]]');
      const lines = detail.split("\n");
      expect(lines[0]).toMatch(/SCAN j/);
      expect(lines[1]).toMatch(/SEARCH r USING (COVERING )?INDEX \S+ \(tenant_id=\? AND \w+=\? AND \w+=\?/);
    });
  }
});
