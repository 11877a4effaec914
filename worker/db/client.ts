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

/** The control database: tenants, users, sessions, invitations, API keys, login failures, audit log. */
export type Control = { readonly d1: D1Database; readonly db: Orm };

export function control(env: Env): Control {
  return { d1: env.DB, db: orm(env.DB) };
}

/**
 * Tenants are sharded by naming their data database on the tenant row; this is the one place that
 * name becomes a binding.
 */
function dataBinding(env: Env, tenant: Tenant): D1Database {
  const binding = (env as unknown as Record<string, unknown>)[tenant.dataDb];
  if (!binding || typeof (binding as D1Database).prepare !== "function") {
    throw new Error(`tenant ${tenant.id} names unknown data database ${tenant.dataDb}`);
  }
  return binding as D1Database;
}

export function tenantContext(env: Env, tenant: Tenant, principal: Principal | null = null): TenantContext {
  const d1 = dataBinding(env, tenant);
  return { id: tenant.id, name: tenant.name, dataDb: tenant.dataDb, env, principal, d1, db: orm(d1) };
}

/** Where a tenant's audit log lives, for reading it: the control database, for every tenant. */
export function auditLog(tenant: Pick<TenantContext, "env">): Control {
  return control(tenant.env);
}

/**
 * The database an audited mutation commits in. The audit log lives in the control database and an
 * event must commit with its mutation, so for a tenant's data the two must be one database: a tenant
 * moved to its own data shard needs its audit log moved with it first.
 */
export function auditDatabase(tenant: TenantContext): Control {
  if (tenant.dataDb !== "DB") {
    throw new Error(
      `tenant ${tenant.id}: audited mutations on data shard ${tenant.dataDb} are not supported yet`,
    );
  }
  return control(tenant.env);
}
