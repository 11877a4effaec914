/**
 * Recomputes the rollups of a window of whole UTC days from the traces: the window's rollup rows
 * and facts are deleted, then every trace that starts in it is folded afresh (a trace whose last
 * folded fact lies outside the window is taken out there as usual). For rollups that went wrong
 * (a bug, a restored backup) — the fold never needs it to stay correct.
 */
import { auditLogOf } from "../db/client";
import { changedTrace, DAY_MS, dayOf, FACT_COLUMNS, FACT_SQL } from "./facts";
import { ROLLUP_TABLES, rollupWrites } from "./fold";
import { dropLease, leaseGuard, takeLease } from "./sync";

const PAGE = 500;

/** The traces of ?1 starting in [?2, ?3) after (?4 started_at, ?5 pk), with their facts. */
const WINDOW_TRACES = `
SELECT t.pk, t.id AS trace_id, t.updated_at,
  ${FACT_COLUMNS.map((c) => `${FACT_SQL[c]} AS ${c}`).join(",\n  ")},
  f.trace_id IS NOT NULL AS folded,
  ${FACT_COLUMNS.map((c) => `f.${c} AS f_${c}`).join(", ")}
FROM traces t LEFT JOIN analytics_facts f ON f.tenant_id = t.tenant_id AND f.trace_id = t.id
WHERE t.tenant_id = ?1 AND t.started_at >= ?2 AND t.started_at < ?3 AND (t.started_at, t.pk) > (?4, ?5)
ORDER BY t.started_at, t.pk
LIMIT ${PAGE}`;

export class FoldBusyError extends Error {
  constructor() {
    super("another analytics fold holds the lease");
  }
}

/** Whole UTC days covering [from, to). */
export function repairDays(from: number, to: number): { from: number; to: number } {
  return { from: dayOf(from), to: dayOf(to - 1) + DAY_MS };
}

export async function repairWindow(
  env: Env,
  tenantId: string,
  from: number,
  to: number,
): Promise<{ traces: number }> {
  const db = await auditLogOf(env, tenantId);
  const window = repairDays(from, to);
  const lease = await takeLease(db, tenantId, Date.now());
  if (!lease) throw new FoldBusyError();
  try {
    const guard = () => leaseGuard(db, tenantId, lease.token);
    await db.d1.batch([
      guard(),
      ...ROLLUP_TABLES.map((t) =>
        db.d1
          .prepare(`DELETE FROM ${t.name} WHERE tenant_id = ?1 AND ${t.column} >= ?2 AND ${t.column} < ?3`)
          .bind(tenantId, window.from, window.to),
      ),
    ]);
    let after = { at: -1, pk: 0 };
    let traces = 0;
    for (;;) {
      const { results } = await db.d1
        .prepare(WINDOW_TRACES)
        .bind(tenantId, window.from, window.to, after.at, after.pk)
        .all<Record<string, unknown>>();
      const page = results.map(changedTrace);
      if (page.length) await db.d1.batch([guard(), ...(await rollupWrites(db, tenantId, page))]);
      traces += results.length;
      const last = results[results.length - 1];
      if (!last || results.length < PAGE) break;
      after = { at: Number(last.started_at), pk: Number(last.pk) };
    }
    return { traces };
  } finally {
    await dropLease(db, tenantId, lease.token);
  }
}
