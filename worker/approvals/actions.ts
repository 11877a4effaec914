/**
 * How each default sensitive action runs once approved (the requester acts, the approver is named).
 * Each feature owns its action; this table only names them for the approvals routes.
 */
import { revokeAllApiKeys } from "../api-keys/service";
import { applySettings } from "../audit/settings-service";
import { deleteTenant } from "../tenants/service";
import { changeRole } from "../users/service";
import type { Runner } from "./service";

type DualApprovalActions = Parameters<typeof applySettings>[2]["dual_approval_actions"];

export const APPROVAL_ACTIONS: Readonly<Record<string, Runner>> = {
  "api_key.revoke_all": (p, rec, approval) => revokeAllApiKeys(rec.control.db, rec, p, approval),
  "user.grant_owner": (p, rec, approval, params) =>
    changeRole(rec.control.db, rec, p, String(params.user_id), "owner", approval),
  "audit.retention.lower": (p, rec, approval, params) =>
    applySettings(rec, p, { retention_days: Number(params.retention_days) }, approval),
  "audit.dual_approval.reduce": (p, rec, approval, params) =>
    applySettings(
      rec,
      p,
      { dual_approval_actions: params.dual_approval_actions as DualApprovalActions },
      approval,
    ),
  "tenant.delete": (p, rec, approval) => deleteTenant(rec, p, approval),
};
