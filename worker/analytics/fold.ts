/**
 * Keeps the analytics rollups (worker/db/analytics.ts) in step with the traces, incrementally:
 * traces changed since the tenant's cursor are read a page at a time with their derived fact;
 * each changed fact is taken out of the rollups as last folded and put in as it is now. Folding
 * the same trace twice changes nothing, so re-reading is always safe — the cursor stays a few
 * seconds behind the newest change to catch writes that commit late.
 */
import { auditLogOf } from "../db/client";
import { chunkRows } from "../db/rows";
import {
  type Cell,
  Changes,
  cellFrom,
  emptyCell,
  emptyPresence,
  emptyTotals,
  HOURS_KEPT_MS,
  type PresenceCount,
  plusCell,
  plusTotals,
  type WorkspaceTotals,
} from "./changes";
import {
  CHANGED_TRACES,
  type ChangedTrace,
  changedTrace,
  DAY_MS,
  FACT_COLUMNS,
  hourOf,
  sameFact,
} from "./facts";
import { type Cursor, dropLease, type Lease, leaseGuard, saveProgress, saveRun, takeLease } from "./sync";

type Db = { d1: D1Database };
type Row = Record<string, unknown>;

/** Traces read per page, and pages per run (a run past them asks to be continued). */
const PAGE = 500;
const MAX_PAGES = 20;
/** Changes this recent are read again next time: a batch stamped earlier may commit after the read. */
const SETTLE_MS = 5_000;

export type FoldResult = { rows: number; busy: boolean; more: boolean };

export type FoldListener = (env: Env, tenantId: string, now: number) => Promise<void>;
const listeners: FoldListener[] = [];

/** Features that react to fresh rollups (the alert detectors) register here (worker/index.ts): called after a run that caught up. */
export function onFolded(listener: FoldListener): void {
  listeners.push(listener);
}

export const foldEnabled = (env: Env) => env.ANALYTICS_FOLD !== "off";

/** Folds every pending trace change of a tenant (up to MAX_PAGES pages; `more` if some are left). */
export async function foldTenant(
  env: Env,
  tenantId: string,
  opts: { now?: number } = {},
): Promise<FoldResult> {
  if (!foldEnabled(env)) return { rows: 0, busy: false, more: false };
  const db = await auditLogOf(env, tenantId);
  const now = opts.now ?? Date.now();
  const lease = await takeLease(db, tenantId, now);
  if (!lease) return { rows: 0, busy: true, more: false };
  let result: FoldResult;
  try {
    result = await foldPages(db, tenantId, lease, now);
  } catch (err) {
    await dropLease(db, tenantId, lease.token).catch(() => {});
    throw err;
  }
  // Listeners see rollups only once they have caught up (a backlog's counts are not final).
  if (!result.more) {
    for (const listener of listeners) {
      await listener(env, tenantId, now).catch((err: unknown) => console.error("fold listener failed", err));
    }
  }
  return result;
}

async function foldPages(db: Db, tenantId: string, lease: Lease, now: number): Promise<FoldResult> {
  const started = performance.now();
  let cursor = lease.cursor;
  let rows = 0;
  let oldestStart: number | null = null;
  const cost = { read: 0, written: 0 };
  const count = (results: D1Result[]) => {
    for (const { meta } of results) {
      cost.read += meta.rows_read ?? 0;
      cost.written += meta.rows_written ?? 0;
    }
  };
  for (let page = 1; ; page++) {
    const read = await db.d1.prepare(CHANGED_TRACES).bind(tenantId, cursor.at, cursor.pk, PAGE).all<Row>();
    count([read]);
    const results = read.results;
    const traces = results.map(changedTrace);
    const next = nextCursor(cursor, traces, now);
    // Every trace read gets its fact written, so a full page is never read again: go on.
    const full = traces.length === PAGE;
    const last = !full || page >= MAX_PAGES;
    const changed = traces.filter((t) => !sameFact(t, t.old));
    rows += changed.length;
    for (const t of changed) oldestStart = Math.min(oldestStart ?? t.started_at, t.started_at);
    const writes = traces.length ? await rollupWrites(db, tenantId, traces, count) : [];
    const progress = {
      cursor: next,
      rows: changed.length,
      runRows: rows,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      newestSourceAt: traces.length ? Math.max(...traces.map((t) => t.updated_at)) : null,
      release: last,
    };
    count(
      await db.d1.batch([
        leaseGuard(db, tenantId, lease.token),
        ...writes,
        saveProgress(db, tenantId, lease.token, progress, now),
      ]),
    );
    cursor = next;
    if (last) {
      await saveRun(db, tenantId, { ...cost, oldestStart }, now);
      return { rows, busy: false, more: full };
    }
  }
}

/**
 * Past every trace read when the page was full up to its last one; past everything when it was
 * not; never past the settle window, whose traces are looked at again (an index probe each when
 * folded already).
 */
function nextCursor(cursor: Cursor, traces: ChangedTrace[], now: number): Cursor {
  const settled = { at: now - SETTLE_MS, pk: 0 };
  const last = traces[traces.length - 1];
  const reached = last && traces.length === PAGE ? { at: last.updated_at, pk: last.pk } : settled;
  const next = before(reached, settled) ? reached : settled;
  return before(cursor, next) ? next : cursor;
}

const before = (a: Cursor, b: Cursor) => a.at < b.at || (a.at === b.at && a.pk < b.pk);

// ——— reading the rows a page touches, and writing them back ———

const CELL_VALUES = [
  "interactions",
  "errors",
  "latency_count",
  "latency_sum",
  "latency_bins",
  "input_tokens",
  "output_tokens",
  "cost_usd",
] as const;
const TOTAL_VALUES = ["interactions", "errors", "input_tokens", "output_tokens", "cost_usd"] as const;

type Table = { name: string; keys: readonly string[]; values: readonly string[] };
const DAYS: Table = {
  name: "analytics_days",
  keys: ["bucket", "capability", "provider"],
  values: [...CELL_VALUES, "workspaces"],
};
const HOURS: Table = {
  name: "analytics_hours",
  keys: ["bucket", "capability", "provider"],
  values: CELL_VALUES,
};
const WORKSPACES: Table = {
  name: "analytics_workspace_days",
  keys: ["day", "workspace"],
  values: [...TOTAL_VALUES, "capabilities", "last_interaction_at"],
};
const PRESENCE: Table = {
  name: "analytics_presence",
  keys: ["day", "workspace", "capability", "provider"],
  values: ["interactions", "errors", "cost_usd"],
};
const FACTS: Table = {
  name: "analytics_facts",
  keys: ["trace_id"],
  values: [...FACT_COLUMNS, "source_updated_at"],
};

/** Every rollup table a window of days covers (the facts go by their start). */
export const ROLLUP_TABLES = [
  { name: DAYS.name, column: "bucket" },
  { name: HOURS.name, column: "bucket" },
  { name: WORKSPACES.name, column: "day" },
  { name: PRESENCE.name, column: "day" },
  { name: FACTS.name, column: "started_at" },
] as const;

const keyMatch = (alias: string, keys: readonly string[]) =>
  keys.map((k, i) => `${alias}.${k} = j.value ->> ${i}`).join(" AND ");

/**
 * Rows of `table` whose key (or key prefix `keys`) is in ?2. CROSS JOIN keeps the keys the outer
 * loop (SQLite's planner otherwise walks every row of the tenant and probes the keys).
 */
const selectByKeys = (table: Table, keys = table.keys) =>
  `SELECT r.* FROM json_each(?2) j CROSS JOIN ${table.name} r ON r.tenant_id = ?1 AND ${keyMatch("r", keys)}`;

/** The rows a page's changes touch, by key (test/analytics/query-plans.test.ts checks their plans). */
export const ROLLUP_READS = {
  days: selectByKeys(DAYS),
  hours: selectByKeys(HOURS),
  workspaces: selectByKeys(WORKSPACES),
  presence: selectByKeys(PRESENCE, ["day", "workspace"]),
};

const upsertRows = (table: Table) => {
  const columns = [...table.keys, ...table.values];
  return `INSERT INTO ${table.name} (tenant_id, ${columns.join(", ")})
SELECT ?1, ${columns.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?2) WHERE true
ON CONFLICT (tenant_id, ${table.keys.join(", ")}) DO UPDATE SET
  ${table.values.map((c) => `${c} = excluded.${c}`).join(", ")}`;
};

const deleteRows = (table: Table) =>
  `DELETE FROM ${table.name} WHERE tenant_id = ?1 AND (${table.keys.join(", ")}) IN
  (SELECT ${table.keys.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?2))`;

/**
 * A workspace-day's last interaction, from the facts, where a trace left it (the one figure a
 * removal cannot subtract); elsewhere it is the larger of the stored and the added starts.
 */
const LAST_INTERACTION = `
UPDATE analytics_workspace_days AS w SET last_interaction_at = coalesce((
  SELECT max(f.started_at) FROM analytics_facts f
  WHERE f.tenant_id = w.tenant_id AND f.workspace = w.workspace AND f.started_at >= w.day AND f.started_at < w.day + ${DAY_MS}
), w.last_interaction_at)
WHERE w.tenant_id = ?1 AND (w.day, w.workspace) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?2))`;

/**
 * Facts unchanged at a trace's new `updated_at`: the row is sent whole, but only that column is
 * written (no index entry moves). An upsert, so each row is found by its key.
 */
const markSeen = () => {
  const columns = [...FACTS.keys, ...FACTS.values];
  return `INSERT INTO analytics_facts (tenant_id, ${columns.join(", ")})
SELECT ?1, ${columns.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?2) WHERE true
ON CONFLICT (tenant_id, trace_id) DO UPDATE SET source_updated_at = excluded.source_updated_at`;
};

const CAPABILITIES = `
INSERT INTO analytics_capabilities (tenant_id, capability, first_seen_at, folded_at)
SELECT ?1, value ->> 0, value ->> 1, ?3 FROM json_each(?2) WHERE true
ON CONFLICT (tenant_id, capability) DO UPDATE SET first_seen_at = excluded.first_seen_at
  WHERE excluded.first_seen_at < analytics_capabilities.first_seen_at`;

const keyOf = (row: Row, keys: readonly string[]) => JSON.stringify(keys.map((k) => row[k]));

const cellValues = (c: Cell) => [
  c.interactions,
  c.errors,
  c.latency_count,
  c.latency_sum,
  JSON.stringify(c.bins),
  c.input_tokens,
  c.output_tokens,
  c.cost_usd,
];

/**
 * The statements that fold `traces` into the rollups (after reading the rows they touch): those
 * whose fact changed move in the rollups; every one's fact row records the `updated_at` seen.
 */
export async function rollupWrites(
  db: Db,
  tenantId: string,
  traces: ChangedTrace[],
  count: (results: D1Result[]) => void = () => {},
): Promise<D1PreparedStatement[]> {
  const changed = traces.filter((t) => !sameFact(t, t.old));
  const factRow = (t: ChangedTrace) => [t.trace_id, ...FACT_COLUMNS.map((c) => t[c]), t.updated_at];
  const seen = traces.filter((t) => sameFact(t, t.old)).map(factRow);
  const seenWrites = chunkRows(seen).map((chunk) => db.d1.prepare(markSeen()).bind(tenantId, chunk));
  if (!changed.length) return seenWrites;
  const factRows = changed.map(factRow);
  const changes = new Changes(hourOf(Date.now() - HOURS_KEPT_MS));
  for (const t of changed) changes.replace(t.old, t);
  const dayKeys = JSON.stringify([...changes.days.keys()].map((k) => JSON.parse(k)));
  const hourKeys = JSON.stringify([...changes.hours.keys()].map((k) => JSON.parse(k)));
  const workspaceKeys = JSON.stringify([...changes.workspaces.keys()].map((k) => JSON.parse(k)));
  const loaded = await db.d1.batch<Row>([
    db.d1.prepare(ROLLUP_READS.days).bind(tenantId, dayKeys),
    db.d1.prepare(ROLLUP_READS.hours).bind(tenantId, hourKeys),
    db.d1.prepare(ROLLUP_READS.workspaces).bind(tenantId, workspaceKeys),
    db.d1.prepare(ROLLUP_READS.presence).bind(tenantId, workspaceKeys),
  ]);
  count(loaded);
  const [days, hours, workspaces, presence] = loaded;
  const present = presenceAfter(changes, presence?.results ?? []);
  const rows = {
    days: dayRows(changes, days?.results ?? [], present.workspacesDelta),
    hours: cellRows(changes.hours, hours?.results ?? []),
    workspaces: workspaceRows(changes, workspaces?.results ?? [], present.capabilities),
    presence: present.rows,
    facts: factRows,
  };
  const statements: D1PreparedStatement[] = [];
  const write = (sql: string, values: readonly unknown[][]) => {
    for (const chunk of chunkRows(values)) statements.push(db.d1.prepare(sql).bind(tenantId, chunk));
  };
  write(upsertRows(FACTS), rows.facts);
  for (const [table, { keep, drop }] of [
    [DAYS, rows.days],
    [HOURS, rows.hours],
    [WORKSPACES, rows.workspaces],
    [PRESENCE, rows.presence],
  ] as const) {
    write(upsertRows(table), keep);
    write(deleteRows(table), drop);
  }
  const left = [...changes.workspacesLeft].filter((k) => changes.workspaces.has(k)).map((k) => JSON.parse(k));
  write(LAST_INTERACTION, left);
  const firstSeen = [...changes.capabilities].map(([capability, at]) => [capability, at]);
  for (const chunk of chunkRows(firstSeen)) {
    statements.push(db.d1.prepare(CAPABILITIES).bind(tenantId, chunk, Date.now()));
  }
  return [...statements, ...seenWrites];
}

type Split = { keep: unknown[][]; drop: unknown[][] };

/** Presence after the page, the workspaces each day cell gains or loses, each workspace-day's capabilities. */
function presenceAfter(changes: Changes, loaded: Row[]) {
  const counts = new Map<string, PresenceCount>();
  for (const row of loaded) {
    counts.set(keyOf(row, PRESENCE.keys), {
      interactions: Number(row.interactions),
      errors: Number(row.errors),
      cost_usd: Number(row.cost_usd),
    });
  }
  const workspacesDelta = new Map<string, number>();
  const rows: Split = { keep: [], drop: [] };
  for (const [key, delta] of changes.presence) {
    const before = counts.get(key) ?? emptyPresence();
    const after = plusTotals(before, delta);
    counts.set(key, after);
    const [day, , capability, provider] = JSON.parse(key) as [number, string, string, string];
    const change = Number(after.interactions > 0) - Number(before.interactions > 0);
    const cell = JSON.stringify([day, capability, provider]);
    if (change) workspacesDelta.set(cell, (workspacesDelta.get(cell) ?? 0) + change);
    const values = [...JSON.parse(key), after.interactions, after.errors, after.cost_usd];
    (after.interactions > 0 ? rows.keep : rows.drop).push(values);
  }
  const capabilities = new Map<string, Set<string>>();
  for (const [key, count] of counts) {
    if (count.interactions <= 0) continue;
    const [day, workspace, capability] = JSON.parse(key) as [number, string, string];
    const wk = JSON.stringify([day, workspace]);
    const set = capabilities.get(wk) ?? new Set<string>();
    set.add(capability);
    capabilities.set(wk, set);
  }
  return { rows, workspacesDelta, capabilities };
}

function cellRows(
  deltas: Map<string, Cell>,
  loaded: Row[],
  extra?: (key: string, row?: Row) => number[],
): Split {
  const current = new Map(loaded.map((row) => [keyOf(row, DAYS.keys), row]));
  const out: Split = { keep: [], drop: [] };
  for (const [key, delta] of deltas) {
    const row = current.get(key);
    const cell = plusCell(row ? cellFrom(row) : emptyCell(), delta);
    const values = [...JSON.parse(key), ...cellValues(cell), ...(extra?.(key, row) ?? [])];
    (cell.interactions > 0 ? out.keep : out.drop).push(values);
  }
  return out;
}

function dayRows(changes: Changes, loaded: Row[], workspacesDelta: Map<string, number>): Split {
  return cellRows(changes.days, loaded, (key, row) => [
    Number(row?.workspaces ?? 0) + (workspacesDelta.get(key) ?? 0),
  ]);
}

function workspaceRows(changes: Changes, loaded: Row[], capabilities: Map<string, Set<string>>): Split {
  const current = new Map(loaded.map((row) => [keyOf(row, WORKSPACES.keys), row]));
  const out: Split = { keep: [], drop: [] };
  for (const [key, delta] of changes.workspaces) {
    const row = current.get(key);
    const before: WorkspaceTotals = row
      ? {
          interactions: Number(row.interactions),
          errors: Number(row.errors),
          input_tokens: Number(row.input_tokens),
          output_tokens: Number(row.output_tokens),
          cost_usd: Number(row.cost_usd),
        }
      : emptyTotals();
    const after = plusTotals(before, delta);
    const values = [
      ...JSON.parse(key),
      ...TOTAL_VALUES.map((c) => after[c]),
      capabilities.get(key)?.size ?? 0,
      Math.max(Number(row?.last_interaction_at ?? 0), changes.lastAdded.get(key) ?? 0),
    ];
    (after.interactions > 0 ? out.keep : out.drop).push(values);
  }
  return out;
}
