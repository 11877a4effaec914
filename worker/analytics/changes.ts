/**
 * The rollup changes of a page of folded traces, in memory: each trace's old fact taken out and
 * its new fact put in. fold.ts loads the rows these keys name, applies the changes and writes them.
 */
import { dayOf, type Fact, hourOf } from "./facts";
import { addBin, type Bins, binOf, mergeInto, parseBins } from "./sketch";

/** Counts, sums and the latency sketch of a day or hour cell. */
export type Cell = {
  interactions: number;
  errors: number;
  latency_count: number;
  latency_sum: number;
  bins: Bins;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
};

export type WorkspaceTotals = Pick<
  Cell,
  "interactions" | "errors" | "input_tokens" | "output_tokens" | "cost_usd"
>;
export type PresenceCount = Pick<Cell, "interactions" | "errors" | "cost_usd">;

export const emptyCell = (): Cell => ({
  interactions: 0,
  errors: 0,
  latency_count: 0,
  latency_sum: 0,
  bins: {},
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: 0,
});

/** A stored day or hour cell row (as raw SQL returns it) as a Cell. */
export function cellFrom(row: Record<string, unknown>): Cell {
  return {
    interactions: Number(row.interactions),
    errors: Number(row.errors),
    latency_count: Number(row.latency_count),
    latency_sum: Number(row.latency_sum),
    bins: parseBins(row.latency_bins as string),
    input_tokens: Number(row.input_tokens),
    output_tokens: Number(row.output_tokens),
    cost_usd: Number(row.cost_usd),
  };
}

export const emptyTotals = (): WorkspaceTotals => ({
  interactions: 0,
  errors: 0,
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: 0,
});

export const emptyPresence = (): PresenceCount => ({ interactions: 0, errors: 0, cost_usd: 0 });

/** Keys are JSON arrays of the primary key after tenant_id (what the SQL reads back with ->>). */
export const cellKey = (bucket: number, f: Fact) => JSON.stringify([bucket, f.capability, f.provider]);
export const workspaceKey = (f: Fact) => JSON.stringify([dayOf(f.started_at), f.workspace]);
export const presenceKey = (f: Fact) =>
  JSON.stringify([dayOf(f.started_at), f.workspace, f.capability, f.provider]);

function addCell(cell: Cell, f: Fact, sign: number): void {
  addTotals(cell, f, sign);
  if (f.latency_ms !== null) {
    cell.latency_count += sign;
    cell.latency_sum += sign * f.latency_ms;
    addBin(cell.bins, binOf(f.latency_ms), sign);
  }
}

function addTotals(t: WorkspaceTotals, f: Fact, sign: number): void {
  t.interactions += sign;
  t.errors += sign * f.error;
  t.input_tokens += sign * f.input_tokens;
  t.output_tokens += sign * f.output_tokens;
  t.cost_usd += sign * f.cost_usd;
}

function entry<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (!value) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Hour cells serve the rolling 24 h figures; the minute sweep drops those older than this. */
export const HOURS_KEPT_MS = 8 * 86_400_000;

export class Changes {
  /** `hoursFrom`: hour cells before it are not kept, so a backfill writes none. */
  constructor(readonly hoursFrom = Number.NEGATIVE_INFINITY) {}

  readonly days = new Map<string, Cell>();
  readonly hours = new Map<string, Cell>();
  readonly workspaces = new Map<string, WorkspaceTotals>();
  /** Workspace-day → latest start put in, and the workspace-days a fact was taken out of. */
  readonly lastAdded = new Map<string, number>();
  readonly workspacesLeft = new Set<string>();
  readonly presence = new Map<string, PresenceCount>();
  /** capability → earliest start seen in this page. */
  readonly capabilities = new Map<string, number>();

  /** `sign` 1 puts a fact in, −1 takes it out. */
  add(f: Fact, sign: 1 | -1): void {
    addCell(entry(this.days, cellKey(dayOf(f.started_at), f), emptyCell), f, sign);
    const hour = hourOf(f.started_at);
    if (hour >= this.hoursFrom) addCell(entry(this.hours, cellKey(hour, f), emptyCell), f, sign);
    const wk = workspaceKey(f);
    addTotals(entry(this.workspaces, wk, emptyTotals), f, sign);
    if (sign > 0) this.lastAdded.set(wk, Math.max(this.lastAdded.get(wk) ?? 0, f.started_at));
    const p = entry(this.presence, presenceKey(f), emptyPresence);
    p.interactions += sign;
    p.errors += sign * f.error;
    p.cost_usd += sign * f.cost_usd;
    if (sign > 0) {
      const seen = this.capabilities.get(f.capability);
      this.capabilities.set(f.capability, Math.min(seen ?? f.started_at, f.started_at));
    }
  }

  /** A trace's fact changed from `old` to `now`: out with the old, in with the new. */
  replace(old: Fact | null, now: Fact): void {
    if (old) {
      this.add(old, -1);
      // The old start may have been its workspace-day's last interaction: that one is looked up again.
      if (workspaceKey(old) !== workspaceKey(now) || old.started_at > now.started_at) {
        this.workspacesLeft.add(workspaceKey(old));
      }
    }
    this.add(now, 1);
  }
}

/** `into` plus `delta`, as a new cell. */
export function plusCell(into: Cell, delta: Cell): Cell {
  return {
    interactions: into.interactions + delta.interactions,
    errors: into.errors + delta.errors,
    latency_count: into.latency_count + delta.latency_count,
    latency_sum: into.latency_sum + delta.latency_sum,
    bins: mergeInto({ ...into.bins }, delta.bins),
    input_tokens: into.input_tokens + delta.input_tokens,
    output_tokens: into.output_tokens + delta.output_tokens,
    cost_usd: roundCost(into.cost_usd + delta.cost_usd),
  };
}

export function plusTotals<T extends Partial<WorkspaceTotals>>(into: T, delta: T): T {
  const out = { ...into };
  for (const k of Object.keys(delta) as (keyof T)[]) {
    const sum = Number(into[k] ?? 0) + Number(delta[k] ?? 0);
    out[k] = (k === "cost_usd" ? roundCost(sum) : sum) as T[keyof T];
  }
  return out;
}

/** Sums of float costs drift as traces come and go; rounding to 1e-9 USD keeps them comparable. */
export const roundCost = (usd: number) => Math.round(usd * 1e9) / 1e9;
