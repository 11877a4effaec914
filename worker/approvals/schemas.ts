import { z } from "@hono/zod-openapi";

export const ApprovalStatus = z.enum(["pending", "approved", "rejected", "expired", "cancelled"]);

export const ApprovalRequest = z
  .object({
    id: z.string(),
    action: z.string().openapi({ example: "api_key.revoke_all" }),
    summary: z.string(),
    params: z.record(z.string(), z.unknown()),
    reason: z.string().nullable(),
    requested_by: z.object({ id: z.string(), email: z.string().nullable() }),
    requested_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    status: ApprovalStatus,
    decided_by: z.object({ id: z.string(), email: z.string().nullable() }).nullable(),
    decided_at: z.iso.datetime().nullable(),
    can_decide: z.boolean().openapi({ description: "True when you may approve or reject it (not your own)" }),
  })
  .openapi("ApprovalRequest");

export const ApprovalList = z
  .object({ data: z.array(ApprovalRequest), next_cursor: z.string().nullable() })
  .openapi("ApprovalList");

export const ApprovalQuery = z.object({ status: z.enum(["pending", "all"]).default("pending") });
export const ApprovalIdParam = z.object({ id: z.string().min(1).max(100) });
export const DecisionBody = z.object({ reason: z.string().max(500).optional() }).openapi("ApprovalDecision");

export const PendingApproval = z
  .object({
    approval_request_id: z.string(),
    status: z.literal("pending"),
    action: z.string(),
    summary: z.string(),
    expires_at: z.iso.datetime(),
  })
  .openapi("PendingApproval", { description: "The action waits for another owner or admin to approve it" });
export type PendingApproval = z.output<typeof PendingApproval>;
