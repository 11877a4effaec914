import { auditLog, control, type TenantContext } from "../db/client";
import { findUser, userEmails } from "../users/service";
/**
 * Dual approval: a sensitive action (tenant-configurable, see DEFAULT_DUAL_APPROVAL) becomes a
 * request that another owner/admin must approve before it expires. The requester can cancel but
 * never approve their own; every step (request, approve, reject, cancel, expire, a refused
 * self-approval) is an audit event, and the action itself is recorded with the approval on it.
 */

import type { z } from "@hono/zod-openapi";
import type { ApprovalRef } from "../audit/record";
import type { AuditRecorder } from "../audit/recorder";
import type { DEFAULT_DUAL_APPROVAL } from "../audit/settings";
import type { Principal } from "../env";
import { ConflictError, ForbiddenError, NotFoundError } from "../lib/errors";
import { newId } from "../lib/ids";
import { isoTime } from "../lib/time";
import type { ApprovalRequest, PendingApproval } from "./schemas";

export const APPROVAL_TTL_MS = 24 * 3600_000;

type Row = {
  id: string;
  tenant_id: string;
  action: string;
  params: string;
  summary: string;
  reason: string | null;
  requested_by: string;
  requested_at: number;
  expires_at: number;
  status: string;
  decided_by: string | null;
  decided_at: number | null;
};

/** Requesters' and deciders' emails, from the users feature (a removed user shows no email). */
type Emails = ReadonlyMap<string, string>;

/** What approving runs: the action as the requester, with the approval named on its event. */
export type Runner = (
  requester: Principal,
  rec: AuditRecorder,
  approval: ApprovalRef,
  params: Record<string, unknown>,
) => Promise<unknown>;
/** How to carry out each sensitive action once approved (worker/approvals/actions.ts). */
export type Runners = Readonly<Record<string, Runner>>;

export async function needsApproval(rec: AuditRecorder, action: string): Promise<boolean> {
  return (await rec.settings()).dualApprovalActions.includes(
    action as (typeof DEFAULT_DUAL_APPROVAL)[number],
  );
}

const iso = isoTime;
const target = (row: Pick<Row, "id" | "action">) => [
  { type: "approval_request", id: row.id, name: row.action },
];

export async function requestApproval(
  rec: AuditRecorder,
  p: Principal,
  action: string,
  params: Record<string, unknown>,
  summary: string,
  reason?: string,
): Promise<PendingApproval> {
  const now = Date.now();
  const id = newId("apr_", now);
  const insert = rec.d1
    .prepare(
      `INSERT INTO approval_requests (id, tenant_id, action, params, summary, reason, requested_by, requested_at,
       expires_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    )
    .bind(
      id,
      p.tenant.id,
      action,
      JSON.stringify(params),
      summary,
      reason ?? null,
      p.userId,
      now,
      now + APPROVAL_TTL_MS,
    );
  await rec.commit(
    [insert],
    [
      {
        event_type: "approval.request",
        crud: "c",
        target: [{ type: "approval_request", id, name: action }],
        reason: reason ?? null,
        metadata: { action, summary: summary.slice(0, 500) },
        approval: { request_id: id, approvers: [] },
      },
    ],
  );
  return {
    approval_request_id: id,
    status: "pending",
    action,
    summary,
    expires_at: iso(now + APPROVAL_TTL_MS),
  };
}

const SELECT = "SELECT r.* FROM approval_requests r";

function emailsOf(tenant: TenantContext, rows: Row[]): Promise<Emails> {
  const ids = rows.flatMap((r) => (r.decided_by ? [r.requested_by, r.decided_by] : [r.requested_by]));
  return userEmails(control(tenant.env).db, tenant.id, ids);
}

function toWire(row: Row, emails: Emails, p: Principal, now: number): z.output<typeof ApprovalRequest> {
  const expired = row.status === "pending" && row.expires_at <= now;
  const status = (expired ? "expired" : row.status) as z.output<typeof ApprovalRequest>["status"];
  return {
    id: row.id,
    action: row.action,
    summary: row.summary,
    params: JSON.parse(row.params),
    reason: row.reason,
    requested_by: { id: row.requested_by, email: emails.get(row.requested_by) ?? null },
    requested_at: iso(row.requested_at),
    expires_at: iso(row.expires_at),
    status,
    decided_by: row.decided_by ? { id: row.decided_by, email: emails.get(row.decided_by) ?? null } : null,
    decided_at: row.decided_at === null ? null : iso(row.decided_at),
    can_decide: status === "pending" && row.requested_by !== p.userId,
  };
}

export async function listApprovals(tenant: TenantContext, p: Principal, status: "pending" | "all") {
  const { d1: db } = auditLog(tenant);
  const now = Date.now();
  const where = status === "pending" ? "AND r.status = 'pending' AND r.expires_at > ?" : "AND ? = ?";
  const params = status === "pending" ? [now] : [0, 0];
  const rows = await db
    .prepare(`${SELECT} WHERE r.tenant_id = ? ${where} ORDER BY r.requested_at DESC LIMIT 200`)
    .bind(p.tenant.id, ...params)
    .all<Row>();
  const emails = await emailsOf(tenant, rows.results);
  return { data: rows.results.map((r) => toWire(r, emails, p, now)), next_cursor: null };
}

async function load(db: D1Database, p: Principal, id: string): Promise<Row> {
  const row = await db
    .prepare(`${SELECT} WHERE r.tenant_id = ? AND r.id = ?`)
    .bind(p.tenant.id, id)
    .first<Row>();
  if (!row) throw new NotFoundError("Approval request");
  return row;
}

export async function getApproval(tenant: TenantContext, p: Principal, id: string) {
  const row = await load(auditLog(tenant).d1, p, id);
  return toWire(row, await emailsOf(tenant, [row]), p, Date.now());
}

function setStatus(db: D1Database, row: Row, status: string, by: string | null, now: number) {
  return db
    .prepare(
      "UPDATE approval_requests SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
    )
    .bind(status, by, now, row.id);
}

/** Pending and not expired; an expired one is marked so (with its event) on first touch. */
async function assertOpen(rec: AuditRecorder, row: Row, now: number) {
  if (row.status !== "pending") throw new ConflictError(`This request is already ${row.status}`);
  if (row.expires_at > now) return;
  await rec.commit(
    [setStatus(rec.d1, row, "expired", null, now)],
    [
      {
        event_type: "approval.expire",
        crud: "u",
        target: target(row),
        actor: { type: "system", id: "approvals" },
      },
    ],
  );
  throw new ConflictError("This request expired; ask again");
}

async function requesterPrincipal(tenant: TenantContext, p: Principal, row: Row): Promise<Principal> {
  const user = await findUser(control(tenant.env).db, p.tenant.id, row.requested_by);
  if (!user) throw new ConflictError("The requester no longer belongs to this tenant");
  return {
    tenant: p.tenant,
    userId: user.id,
    email: user.email,
    role: user.role,
    via: "session",
    scopes: ["ingest", "read"],
  };
}

export async function approve(
  rec: AuditRecorder,
  runners: Runners,
  p: Principal,
  id: string,
  reason?: string,
) {
  const db = rec.d1;
  const row = await load(db, p, id);
  const now = Date.now();
  if (row.requested_by === p.userId) {
    await rec.record({
      event_type: "approval.approve",
      crud: "u",
      outcome: "failure",
      error: { code: "forbidden", message: "requester tried to approve their own request" },
      target: target(row),
    });
    throw new ForbiddenError("You cannot approve your own request; another owner or admin must");
  }
  await assertOpen(rec, row, now);
  const claimed = await rec.commit(
    [setStatus(db, row, "approved", p.userId, now)],
    [{ event_type: "approval.approve", crud: "u", target: target(row), reason: reason ?? null }],
  );
  if (!claimed.results[0]?.meta.changes) throw new ConflictError("Someone decided this request first");
  const requester = await requesterPrincipal(rec.tenant, p, row);
  const asRequester = rec.with({ actor: { type: "user", id: requester.userId, display: requester.email } });
  const approval: ApprovalRef = {
    request_id: row.id,
    approvers: [{ id: p.userId, decision: "approved", at: iso(now) }],
  };
  const run = Object.hasOwn(runners, row.action) ? runners[row.action] : undefined;
  if (!run) throw new ConflictError(`No handler for action ${row.action}`);
  try {
    await run(requester, asRequester, approval, JSON.parse(row.params));
  } catch (err) {
    await rec.record({
      event_type: "approval.execute",
      crud: "u",
      outcome: "failure",
      error: { message: String((err as Error).message ?? err).slice(0, 500) },
      target: target(row),
    });
    throw err;
  }
  return getApproval(rec.tenant, p, id);
}

export async function reject(rec: AuditRecorder, p: Principal, id: string, reason?: string) {
  const row = await load(rec.d1, p, id);
  const now = Date.now();
  if (row.requested_by === p.userId)
    throw new ForbiddenError("Cancel your own request instead of rejecting it");
  await assertOpen(rec, row, now);
  await rec.commit(
    [setStatus(rec.d1, row, "rejected", p.userId, now)],
    [{ event_type: "approval.reject", crud: "u", target: target(row), reason: reason ?? null }],
  );
  return getApproval(rec.tenant, p, id);
}

export async function cancel(rec: AuditRecorder, p: Principal, id: string) {
  const row = await load(rec.d1, p, id);
  const now = Date.now();
  if (row.requested_by !== p.userId)
    throw new ForbiddenError("Only the requester can cancel; reject it instead");
  await assertOpen(rec, row, now);
  await rec.commit(
    [setStatus(rec.d1, row, "cancelled", p.userId, now)],
    [{ event_type: "approval.cancel", crud: "u", target: target(row) }],
  );
  return getApproval(rec.tenant, p, id);
}

/** Run now, or (if the tenant requires it for this action) file a request and return it. */
export async function runOrRequest<T>(
  rec: AuditRecorder,
  p: Principal,
  action: string,
  request: { params: Record<string, unknown>; summary: string; reason?: string },
  run: () => Promise<T>,
): Promise<T | PendingApproval> {
  if (await needsApproval(rec, action)) {
    return requestApproval(rec, p, action, request.params, request.summary, request.reason);
  }
  return run();
}

export const isPending = (v: unknown): v is PendingApproval =>
  typeof v === "object" && v !== null && "approval_request_id" in v;
