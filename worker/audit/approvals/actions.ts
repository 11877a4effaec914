/** How each default sensitive action runs once approved (the requester acts, the approver is named). */
import { revokeAllApiKeys } from "../../api-keys/service";
import { controlDb } from "../../db/client";
import { changeRole } from "../../users/service";
import { applySettings } from "../settings-service";
import { deleteTenant } from "../tenant";
import { registerAction } from "./service";

registerAction("api_key.revoke_all", (p, rec, approval) =>
  revokeAllApiKeys(controlDb(rec.env), rec, p, approval),
);

registerAction("user.grant_owner", (p, rec, approval, params) =>
  changeRole(controlDb(rec.env), rec, p, String(params.user_id), "owner", approval),
);

registerAction("audit.retention.lower", (p, rec, approval, params) =>
  applySettings(rec, p, { retention_days: Number(params.retention_days) }, approval),
);

registerAction("audit.dual_approval.reduce", (p, rec, approval, params) =>
  applySettings(
    rec,
    p,
    {
      dual_approval_actions: params.dual_approval_actions as Parameters<
        typeof applySettings
      >[2]["dual_approval_actions"],
    },
    approval,
  ),
);

registerAction("tenant.delete", (p, rec, approval) => deleteTenant(rec, p, approval));
