/**
 * The one place D1 bindings are read. Everything else reaches a database through what this file
 * returns: a tenant's data through its TenantContext, the control plane through `control(env)`.
 * scripts/check-architecture.mjs fails `npm run lint` when code outside worker/db/ reads a binding.
 */
import { drizzle } from "drizzle-orm/d1";
import type { Orm, Principal, Tenant, TenantContext } from "../env";
import * as schema from "./schema";

export type { Orm, TenantContext };

/** One drizzle handle per binding per isolate: building one walks the whole schema. */
const handles = new WeakMap<D1Database, Orm>();
function orm(d1: D1Database): Orm {
  let handle = handles.get(d1);
  if (!handle) {
    handle = drizzle(d1, { schema });
    handles.set(d1, handle);
  }
  return handle;
}

/** The control database: tenants, users, sessions, invitations, API keys, login failures. */
export type Control = { readonly d1: D1Database; readonly db: Orm };

/** The binding that is the control database (and the first data database). */
export const CONTROL_DB = "DB";

export function control(env: Env): Control {
  return { d1: env.DB, db: orm(env.DB) };
}

/** A data database as configured in the `DATA_DBS` var: binding name and weight for new tenants. */
export type DataShard = { readonly name: string; readonly weight: number };

/** `DATA_DBS = "DB:1,DB2:1"`; unset means the control database alone. */
export function dataShards(env: Env): DataShard[] {
  const spec = (env.DATA_DBS ?? "").trim() || `${CONTROL_DB}:1`;
  return spec.split(",").map((part) => {
    const [name = "", weight = "1"] = part.trim().split(":");
    const w = Number(weight);
    if (!name || !Number.isFinite(w) || w < 0) throw new Error(`DATA_DBS: bad entry "${part}"`);
    return { name, weight: w };
  });
}

/** Every data database, for the sweeps that visit each shard (never a hot path). */
export function dataDatabases(env: Env): (Control & { name: string })[] {
  return dataShards(env).map(({ name }) => {
    const d1 = binding(env, name);
    return { name, d1, db: orm(d1) };
  });
}

function binding(env: Env, name: string): D1Database {
  const found = (env as unknown as Record<string, unknown>)[name];
  if (!found || typeof (found as D1Database).prepare !== "function") {
    throw new Error(`unknown data database ${name}`);
  }
  return found as D1Database;
}

/**
 * Tenants are sharded by naming their data database on the tenant row; this is the one place that
 * name becomes a binding.
 */
function dataBinding(env: Env, tenant: Tenant): D1Database {
  try {
    return binding(env, tenant.dataDb);
  } catch {
    throw new Error(`tenant ${tenant.id} names unknown data database ${tenant.dataDb}`);
  }
}

export function tenantContext(env: Env, tenant: Tenant, principal: Principal | null = null): TenantContext {
  const d1 = dataBinding(env, tenant);
  return { id: tenant.id, name: tenant.name, dataDb: tenant.dataDb, env, principal, d1, db: orm(d1) };
}

/**
 * Where a tenant's audit log lives: its data database, with the other per-tenant audit tables
 * (settings, approvals, SIEM endpoints, archives, idempotency keys). An audited mutation of the
 * tenant's data commits there in one batch with its events.
 */
export function auditLog(tenant: Pick<TenantContext, "d1" | "db">): Control {
  return { d1: tenant.d1, db: tenant.db };
}

/** The database an audited mutation of tenant data (and the audit tables) commits in. */
export function auditDatabase(tenant: TenantContext): Control {
  return auditLog(tenant);
}

/** Whether a tenant's control-plane rows and its audit log are in one database (one batch). */
export function auditLogIsControl(tenant: Pick<TenantContext, "dataDb">): boolean {
  return tenant.dataDb === CONTROL_DB;
}

/**
 * A tenant's data database name by id (deleted tenants too: their audit log outlives them), for
 * jobs and Durable Objects that start from an id. Cached per isolate for a minute: a tenant is
 * moved only while frozen (docs/scaling.md, "Moving a tenant"), longer than the cache lives.
 */
const CACHE_MS = 60_000;
const shardOf = new Map<string, { name: string; at: number }>();

export async function auditLogOf(env: Env, tenantId: string): Promise<Control> {
  const cached = shardOf.get(tenantId);
  let name = cached && Date.now() - cached.at < CACHE_MS ? cached.name : undefined;
  if (!name) {
    const row = await env.DB.prepare("SELECT data_db FROM tenants WHERE id = ?")
      .bind(tenantId)
      .first<{ data_db: string }>();
    name = row?.data_db ?? CONTROL_DB;
    if (shardOf.size > 10_000) shardOf.clear();
    if (row) shardOf.set(tenantId, { name, at: Date.now() });
  }
  const d1 = binding(env, name);
  return { d1, db: orm(d1) };
}

/** The ids of the tenants (deleted ones too) whose data is on `shard`: for per-shard sweeps. */
export async function tenantsOn(env: Env, shard: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT id FROM tenants WHERE data_db = ?")
    .bind(shard)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}
