import { drizzle } from "drizzle-orm/d1";
import type { Tenant } from "../env";
import * as schema from "./schema";

/** The control-plane database: tenants, users, sessions, keys. */
export function controlDb(env: Env) {
  return drizzle(env.DB, { schema });
}

/**
 * The database holding a tenant's traces. Tenants are sharded by naming their data database on
 * the tenant row; this is the one place that choice is made.
 */
export function dataD1(env: Env, tenant: Tenant): D1Database {
  const binding = (env as unknown as Record<string, unknown>)[tenant.dataDb];
  if (!binding || typeof (binding as D1Database).prepare !== "function") {
    throw new Error(`tenant ${tenant.id} names unknown data database ${tenant.dataDb}`);
  }
  return binding as D1Database;
}

export function dataDb(env: Env, tenant: Tenant) {
  return drizzle(dataD1(env, tenant), { schema });
}

export type ControlDb = ReturnType<typeof controlDb>;
export type DataDb = ReturnType<typeof dataDb>;
