// Dual approval: sensitive actions wait as requests until another owner or admin decides.
import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type { ApprovalList, ApprovalRequest, DecisionBody } from "../../../worker/audit/approvals/schemas";
import { listApiKeys } from "./api-keys";
import { getAuditSettings, listAuditEvents } from "./audit";
import { request } from "./client";
import { listMembers } from "./users";

export type Approval = z.output<typeof ApprovalRequest>;
export type ApprovalStatusName = Approval["status"];
type ApprovalPage = z.output<typeof ApprovalList>;

export const listApprovals = query(
  (status: "pending" | "all") => request<ApprovalPage>("GET", `/api/v1/approvals?status=${status}`),
  "approvals",
);

const path = (id: string, verb: string) => `/api/v1/approvals/${encodeURIComponent(id)}/${verb}`;

// An approved action changes what it touched (settings, keys, members) and adds audit events.
const afterDecision = () => [
  listApprovals.key,
  getAuditSettings.key,
  listAuditEvents.key,
  listApiKeys.key,
  listMembers.key,
];

export const approveRequest = action(async (id: string) => {
  const done = await request<Approval>("POST", path(id, "approve"), {});
  return json(done, { revalidate: afterDecision() });
}, "approval-approve");

export const rejectRequest = action(async (id: string, reason: string) => {
  const body: z.input<typeof DecisionBody> = reason.trim() ? { reason: reason.trim() } : {};
  const done = await request<Approval>("POST", path(id, "reject"), body);
  return json(done, { revalidate: [listApprovals.key] });
}, "approval-reject");

export const cancelRequest = action(async (id: string) => {
  const done = await request<Approval>("POST", path(id, "cancel"), {});
  return json(done, { revalidate: [listApprovals.key] });
}, "approval-cancel");
