import type { z } from "@hono/zod-openapi";
import type { PendingApproval } from "../approvals/schemas";
import { isPending, requestApproval, runOrRequest } from "../approvals/service";
import { auditLog, type TenantContext } from "../db/client";
import type { Principal } from "../env";
import { ValidationError } from "../lib/errors";
import { isoTime } from "../lib/time";
import { maskingPatternProblem } from "./mask";
import type { ApprovalRef } from "./record";
import type { AuditRecorder } from "./recorder";
import type { AuditSettings, AuditSettingsPatch } from "./schemas";
import { loadSettings, policyFor, type TenantAuditSettings } from "./settings";

type SettingsOut = z.output<typeof AuditSettings>;
type Patch = z.output<typeof AuditSettingsPatch>;

async function toWire(s: TenantAuditSettings): Promise<SettingsOut> {
  return {
    ...patchable(s),
    masking_policy_version: (await policyFor(s)).version,
    updated_at: s.updatedAt === null ? null : isoTime(s.updatedAt),
  };
}

export async function readSettings(tenant: TenantContext): Promise<SettingsOut> {
  const { d1: db } = auditLog(tenant);
  const tenantId = tenant.id;
  return toWire(await loadSettings(db, tenantId));
}

function checkPatterns(patch: Patch) {
  const details = (patch.masking_patterns ?? []).flatMap((p, i) => {
    const problem = maskingPatternProblem(p.pattern);
    return problem ? [{ path: `masking_patterns.${i}.pattern`, message: problem }] : [];
  });
  if (details.length) throw new ValidationError("Please correct the highlighted fields", details);
}

/** Apply a settings change now, with its audit event in the same batch. */
export async function applySettings(rec: AuditRecorder, p: Principal, patch: Patch, approval?: ApprovalRef) {
  const before = await loadSettings(rec.d1, p.tenant.id);
  const after: TenantAuditSettings = {
    retentionDays: patch.retention_days ?? before.retentionDays,
    highRiskTypes: patch.high_risk_types ?? before.highRiskTypes,
    dualApprovalActions: patch.dual_approval_actions ?? before.dualApprovalActions,
    maskingPatterns: patch.masking_patterns ?? before.maskingPatterns,
    updatedAt: Date.now(),
  };
  const upsert = rec.d1
    .prepare(
      `INSERT INTO audit_settings (tenant_id, retention_days, high_risk_types, dual_approval_actions, masking_patterns, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id) DO UPDATE SET retention_days = excluded.retention_days,
       high_risk_types = excluded.high_risk_types, dual_approval_actions = excluded.dual_approval_actions,
       masking_patterns = excluded.masking_patterns, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .bind(
      p.tenant.id,
      after.retentionDays,
      JSON.stringify(after.highRiskTypes),
      JSON.stringify(after.dualApprovalActions),
      JSON.stringify(after.maskingPatterns),
      after.updatedAt,
      p.userId,
    );
  const was: Record<string, unknown> = patchable(before);
  const changed = (Object.keys(patch) as (keyof Patch)[]).filter(
    (k) => JSON.stringify(patch[k]) !== JSON.stringify(was[k]),
  );
  await rec.commit(
    [upsert],
    [
      {
        event_type: "audit.settings.update",
        crud: "u",
        target: [{ type: "audit_settings", id: p.tenant.id, name: "Audit settings" }],
        changes: {
          before: Object.fromEntries(changed.map((k) => [k, was[k]])),
          after: Object.fromEntries(changed.map((k) => [k, patch[k]])),
        },
        approval,
      },
    ],
  );
  return toWire(after);
}

function patchable(s: TenantAuditSettings) {
  return {
    retention_days: s.retentionDays,
    high_risk_types: s.highRiskTypes,
    dual_approval_actions: s.dualApprovalActions,
    masking_patterns: s.maskingPatterns,
  };
}

/**
 * Lowering retention may need a second admin (tenant setting), and taking an action off the
 * dual-approval list always does (otherwise one admin could switch the control off and act
 * alone). The rest of the patch applies now.
 */
export async function updateSettings(rec: AuditRecorder, p: Principal, patch: Patch) {
  checkPatterns(patch);
  const current = await loadSettings(rec.d1, p.tenant.id);
  const { retention_days, dual_approval_actions, ...rest } = patch;
  const now: Patch = { ...rest };
  let pending: PendingApproval | undefined;
  const dropped = current.dualApprovalActions.filter((a) => !(dual_approval_actions ?? [a]).includes(a));
  if (dual_approval_actions && dropped.length) {
    pending = await requestApproval(
      rec,
      p,
      "audit.dual_approval.reduce",
      { dual_approval_actions },
      `Stop requiring a second admin for: ${dropped.join(", ")}`,
    );
  } else if (dual_approval_actions) now.dual_approval_actions = dual_approval_actions;
  if (retention_days !== undefined && retention_days < current.retentionDays) {
    const lowering = await runOrRequest(
      rec,
      p,
      "audit.retention.lower",
      {
        params: { retention_days },
        summary: `Lower audit retention from ${current.retentionDays} to ${retention_days} days`,
      },
      async () => {
        now.retention_days = retention_days;
      },
    );
    if (isPending(lowering)) pending ??= lowering;
  } else if (retention_days !== undefined) now.retention_days = retention_days;
  const applied = Object.keys(now).length || !pending ? await applySettings(rec, p, now) : undefined;
  return pending ?? (applied as SettingsOut);
}
