import type { DataShard } from "../db/client";

/**
 * Where a new tenant's data goes (docs/scaling.md, "Placement"): a stable hash of its id picks a
 * point in [0, total weight) of the shards open for new tenants (`DATA_DBS`, weight > 0), in their
 * configured order. No lookup at all, so sign-up never scans other tenants; raising a new shard's
 * weight (and closing a full one with 0) steers growth, and tenants already placed stay put until
 * they are moved.
 */
export function placeTenant(tenantId: string, shards: readonly DataShard[]): string {
  const open = shards.filter((s) => s.weight > 0);
  const total = open.reduce((sum, s) => sum + s.weight, 0);
  if (!open.length) throw new Error("DATA_DBS: no data database is open for new tenants");
  let point = (fnv1a32(tenantId) / 2 ** 32) * total;
  for (const shard of open) {
    if (point < shard.weight) return shard.name;
    point -= shard.weight;
  }
  return (open.at(-1) as DataShard).name;
}

/** FNV-1a, 32 bits: the same in every isolate and release, and cheap (scripts/simulate-scale.mjs uses it too). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
