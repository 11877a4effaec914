import { createRoute, z } from "@hono/zod-openapi";
import { recorder } from "../audit/recorder";
import { requireAuth } from "../auth/middleware";
import { createRouter, errors, json, security } from "../lib/openapi";
import { deleteTenant } from "../tenants/service";
import { APPROVAL_ACTIONS } from "./actions";
import {
  ApprovalIdParam,
  ApprovalList,
  ApprovalQuery,
  ApprovalRequest,
  DecisionBody,
  PendingApproval,
} from "./schemas";
import { approve, cancel, getApproval, isPending, listApprovals, reject, runOrRequest } from "./service";

const tags = ["approvals"];
const admins = {
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })],
};
const decisionBody = {
  body: { required: false, content: { "application/json": { schema: DecisionBody } } },
};

const list = createRoute({
  ...admins,
  method: "get",
  path: "/approvals",
  tags,
  summary: "Dual-approval requests (pending by default)",
  request: { query: ApprovalQuery },
  responses: { 200: json(ApprovalList, "Requests, newest first"), ...errors(400, 401, 403) },
});
const one = createRoute({
  ...admins,
  method: "get",
  path: "/approvals/{id}",
  tags,
  summary: "One approval request",
  request: { params: ApprovalIdParam },
  responses: { 200: json(ApprovalRequest, "The request"), ...errors(401, 403, 404) },
});
const decision = {
  ...admins,
  method: "post",
  tags,
  responses: { 200: json(ApprovalRequest, "Decided"), ...errors(400, 401, 403, 404, 409) },
} as const;
/** Approving and rejecting take an optional `{reason}`; cancelling takes no body. */
const decide = <V extends "approve" | "reject">(verb: V, summary: string) =>
  createRoute({
    ...decision,
    path: `/approvals/{id}/${verb}` as const,
    summary,
    request: { params: ApprovalIdParam, ...decisionBody },
  });
const cancelRoute = createRoute({
  ...decision,
  path: "/approvals/{id}/cancel",
  summary: "Withdraw your own request",
  request: { params: ApprovalIdParam },
});
const deleteTenantRoute = createRoute({
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner"] })],
  method: "delete",
  path: "/tenant",
  tags: ["tenant"],
  summary: "Delete the tenant: sign-in and all keys stop working",
  description: "Needs a second owner or admin by default: then the answer is 202 with the approval request.",
  responses: {
    200: json(z.object({ deleted: z.boolean() }).openapi("TenantDeleted"), "Deleted"),
    202: json(PendingApproval, "Waiting for a second admin"),
    ...errors(401, 403),
  },
});

/** The optional `{reason}` body, as validated by the route (absent body = no reason). */
const reasonOf = (c: { req: object }): string | undefined =>
  ((c.req as { valid(target: string): unknown }).valid("json") as { reason?: string } | undefined)?.reason;

export const approvalRoutes = createRouter()
  .openapi(list, async (c) =>
    c.json(await listApprovals(c.var.tenant, c.var.principal, c.req.valid("query").status), 200),
  )
  .openapi(one, async (c) =>
    c.json(await getApproval(c.var.tenant, c.var.principal, c.req.valid("param").id), 200),
  )
  .openapi(decide("approve", "Approve someone else's request; the action runs at once"), async (c) =>
    c.json(
      await approve(recorder(c), APPROVAL_ACTIONS, c.var.principal, c.req.valid("param").id, reasonOf(c)),
      200,
    ),
  )
  .openapi(decide("reject", "Reject someone else's request"), async (c) =>
    c.json(await reject(recorder(c), c.var.principal, c.req.valid("param").id, reasonOf(c)), 200),
  )
  .openapi(cancelRoute, async (c) =>
    c.json(await cancel(recorder(c), c.var.principal, c.req.valid("param").id), 200),
  )
  .openapi(deleteTenantRoute, async (c) => {
    const p = c.var.principal;
    const result = await runOrRequest(
      recorder(c),
      p,
      "tenant.delete",
      { params: {}, summary: `Delete the tenant ${p.tenant.name}` },
      () => deleteTenant(recorder(c), p),
    );
    return isPending(result) ? c.json(result, 202) : c.json(result, 200);
  });
