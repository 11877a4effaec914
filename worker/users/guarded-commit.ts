/**
 * A user's role change or removal is checked when it is read, before the write, so two owners
 * demoting each other at once would both pass the check and leave the tenant without an owner.
 * The batch that writes therefore opens with guards that repeat the checks: D1 runs a batch as
 * one transaction and one batch at a time, so a guard sees exactly the rows the writes after it
 * change. SQLite has no RAISE outside triggers, so a guard fails the batch (the audit event with
 * it: nothing is recorded for a change that did not happen) by evaluating a deliberately invalid
 * JSON path, `json_extract('{}', '<reason>')`, on the one row it selects when its condition is
 * broken; the error message carries the reason back.
 */
import type { AuditDraft } from "../audit/record";
import type { AuditRecorder, Statement } from "../audit/recorder";
import type { users } from "../db/schema";
import type { Role } from "../env";
import { ConflictError } from "../lib/errors";

const CHANGED_MEANWHILE = "guard: user changed meanwhile";
const LAST_OWNER = "guard: last owner";

/** The target is still as it was read: not removed, same role. */
const UNCHANGED_SQL = `SELECT json_extract('{}', ?4) WHERE NOT EXISTS
  (SELECT 1 FROM users WHERE tenant_id = ?1 AND id = ?2 AND role = ?3)`;

/** Someone other than the target is an owner of the tenant. */
const ANOTHER_OWNER_SQL = `SELECT json_extract('{}', ?3) WHERE NOT EXISTS
  (SELECT 1 FROM users WHERE tenant_id = ?1 AND role = 'owner' AND id <> ?2)`;

/** A role change to `newRole`, or with `newRole: null` the user's removal. */
export type UserChange = { target: typeof users.$inferSelect; newRole: Role | null };

/**
 * Commits `statements` and the event, unless the target changed since it was read or the change
 * would take the tenant's last owner away.
 */
export async function commitGuarded(
  rec: AuditRecorder,
  { target, newRole }: UserChange,
  statements: Statement[],
  draft: AuditDraft,
): Promise<void> {
  const d1 = rec.control.d1;
  const guards = [d1.prepare(UNCHANGED_SQL).bind(target.tenantId, target.id, target.role, CHANGED_MEANWHILE)];
  if (target.role === "owner" && newRole !== "owner") {
    guards.push(d1.prepare(ANOTHER_OWNER_SQL).bind(target.tenantId, target.id, LAST_OWNER));
  }
  try {
    await rec.commitControl([...guards, ...statements], [draft]);
  } catch (e) {
    const message = e instanceof Error ? e.message : "";
    if (message.includes(LAST_OWNER)) {
      throw new ConflictError("The tenant's last owner cannot be removed or demoted");
    }
    if (message.includes(CHANGED_MEANWHILE)) {
      throw new ConflictError("Someone else changed this user meanwhile; reload and try again");
    }
    throw e;
  }
}
