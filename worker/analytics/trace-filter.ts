/**
 * For the trace list (worker/traces/queries.ts): traces by their analytics terms, so every number
 * on the dashboards opens the traces behind it. Reads the facts the fold keeps (as fresh as the
 * dashboards); `t` is the traces alias.
 */
export type FactFilter = { capability?: string; workspace?: string; provider?: string };

export function factFilterClause(f: FactFilter): { sql: string; params: string[] } | null {
  const terms = (["capability", "workspace", "provider"] as const).filter((k) => f[k] !== undefined);
  if (!terms.length) return null;
  return {
    sql: `EXISTS (SELECT 1 FROM analytics_facts f WHERE f.tenant_id = t.tenant_id AND f.trace_id = t.id AND ${terms
      .map((k) => `f.${k} = ?`)
      .join(" AND ")})`,
    params: terms.map((k) => f[k] as string),
  };
}
