import { env } from "cloudflare:test";
import { foldTenant } from "../../worker/analytics/fold";

/** Folds everything pending for the tenant, waiting out a fold the queue consumer is running. */
export async function foldAll(tenantId: string, now?: number): Promise<number> {
  let rows = 0;
  for (let tries = 0; tries < 200; tries++) {
    const result = await foldTenant(env, tenantId, now === undefined ? {} : { now });
    rows += result.rows;
    if (result.busy) await new Promise((r) => setTimeout(r, 50));
    else if (!result.more) return rows;
  }
  throw new Error("fold stayed busy");
}
