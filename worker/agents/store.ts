/** The agents table's one writer: ingest reports the agent names it saw, this records them. */
export const UPSERT_AGENTS = `
INSERT INTO agents (tenant_id, name, first_seen_at, last_seen_at)
SELECT ?1, value, ?2, ?2 FROM json_each(?3) WHERE true
ON CONFLICT (tenant_id, name) DO UPDATE SET last_seen_at = excluded.last_seen_at`;

/** A statement for the caller's batch: first/last seen of each named agent ("unknown" is not one). */
export function seenAgents(db: D1Database, tenantId: string, now: number, names: readonly string[]) {
  const agents = names.filter((a) => a !== "unknown");
  return agents.length ? db.prepare(UPSERT_AGENTS).bind(tenantId, now, JSON.stringify(agents)) : null;
}
