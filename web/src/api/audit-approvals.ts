// Dual approval: sensitive actions wait as requests until another owner or admin decides.
import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type { ApprovalList, ApprovalRequest, DecisionBody } from "../../../worker/approvals/schemas";
import { listApiKeys } from "./api-keys";
import { getAuditSettings, listAuditEvents } from "./audit";
import { api, ok } from "./client";
import { listMembers } from "./users";

export type Approval = z.output<typeof ApprovalRequest>;
export type ApprovalStatusName = Approval["status"];
type ApprovalPage = z.output<typeof ApprovalList>;

export const listApprovals = query(
  (status: "pending" | "all"): Promise<ApprovalPage> => ok(api.approvals.$get({ query: { status } })),
  "approvals",
);

const approval = (id: string) => ({ param: { id } });

// An approved action changes what it touched (settings, keys, members) and adds audit events.
const afterDecision = () => [
  listApprovals.key,
  getAuditSettings.key,
  listAuditEvents.key,
  listApiKeys.key,
  listMembers.key,
];

export const approveRequest = action(async (id: string) => {
  const done = await ok(api.approvals[":id"].approve.$post({ ...approval(id), json: {} }));
  return json(done, { revalidate: afterDecision() });
}, "approval-approve");

export const rejectRequest = action(async (id: string, reason: string) => {
  const body: z.input<typeof DecisionBody> = reason.trim() ? { reason: reason.trim() } : {};
  const done = await ok(api.approvals[":id"].reject.$post({ ...approval(id), json: body }));
  return json(done, { revalidate: [listApprovals.key] });
}, "approval-reject");

export const cancelRequest = action(async (id: string) => {
  const done = await ok(api.approvals[":id"].cancel.$post(approval(id)));
  return json(done, { revalidate: [listApprovals.key] });
}, "approval-cancel");
