import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EXISTING_FINDINGS } from "../../worker/governor/service/store";

async function plan(sql: string, ...params: unknown[]) {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}

describe("governor query plans", () => {
  it("finds a message's stored findings through the natural key, not by scanning the tenant's", async () => {
    const detail = await plan(EXISTING_FINDINGS, "t", '["a","b"]');
    expect(detail).toMatch(
      /constitutional_evaluations USING (COVERING )?INDEX constitutional_evaluations_natural_idx/,
    );
    expect(detail).not.toMatch(/SCAN constitutional_evaluations/);
  });
});
