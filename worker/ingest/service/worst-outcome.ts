/**
 * traces.worst_outcome and spans.worst_outcome, kept by ingest (the one writer of traces and spans) from the
 * governor's findings: after each evaluation the governor hands these statements to its batch. They
 * read the findings table (constitutional_evaluations) in SQL, so the outcome shown on a trace is
 * always the one its stored findings say.
 */
const RANK = "CASE outcome WHEN 'red' THEN 3 WHEN 'amber' THEN 2 ELSE 0 END";

/** Evaluated spans are 'pass' unless a stored finding says worse (errors are not findings of the span). */
const SPAN_WORST = `
UPDATE spans SET worst_outcome = coalesce((
  SELECT CASE max(${RANK}) WHEN 3 THEN 'red' WHEN 2 THEN 'amber' END FROM constitutional_evaluations e
  WHERE e.tenant_id = spans.tenant_id AND e.trace_id = spans.trace_id AND e.span_id = spans.id), 'pass')
WHERE tenant_id = ?1 AND (trace_id, id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?2))`;

const TRACE_WORST = `
UPDATE traces SET worst_outcome = (
  SELECT CASE max(CASE worst_outcome WHEN 'red' THEN 3 WHEN 'amber' THEN 2 WHEN 'pass' THEN 1 ELSE 0 END)
    WHEN 3 THEN 'red' WHEN 2 THEN 'amber' WHEN 1 THEN 'pass' END
  FROM spans s WHERE s.tenant_id = traces.tenant_id AND s.trace_id = traces.id)
WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))`;

/** Spans first, then their traces (a trace's outcome is its spans' worst). */
export function refreshWorstOutcomes(
  db: D1Database,
  tenantId: string,
  spans: readonly (readonly [traceId: string, spanId: string])[],
  traceIds: readonly string[],
): D1PreparedStatement[] {
  return [
    db.prepare(SPAN_WORST).bind(tenantId, JSON.stringify(spans)),
    db.prepare(TRACE_WORST).bind(tenantId, JSON.stringify(traceIds)),
  ];
}
