import type { z } from "@hono/zod-openapi";
import { sha256Hex } from "../lib/crypto";
import { type MaskingPolicy, maskingPolicy } from "./mask";
import type { DualApprovalAction as DualApprovalActionSchema } from "./schemas";

export const DEFAULT_RETENTION_DAYS = 365;
export const MIN_RETENTION_DAYS = 180;

/** Prompt changes, impersonation, kill switches, role changes, key revocations and deletes. */
export const DEFAULT_HIGH_RISK = [
  "prompt.*",
  "impersonation.*",
  "kill_switch.*",
  "user.change_role",
  "api_key.revoke",
  "api_key.revoke_all",
  "*.delete",
];

/** Actions that need a second admin: see worker/approvals/actions.ts. */
export const DEFAULT_DUAL_APPROVAL: DualApprovalAction[] = [
  "tenant.delete",
  "audit.retention.lower",
  "api_key.revoke_all",
  "user.grant_owner",
];

type DualApprovalAction = z.output<typeof DualApprovalActionSchema>;

export type TenantAuditSettings = {
  retentionDays: number;
  highRiskTypes: string[];
  dualApprovalActions: DualApprovalAction[];
  maskingPatterns: { name: string; pattern: string }[];
  updatedAt: number | null;
};

export const DEFAULT_SETTINGS: TenantAuditSettings = {
  retentionDays: DEFAULT_RETENTION_DAYS,
  highRiskTypes: DEFAULT_HIGH_RISK,
  dualApprovalActions: DEFAULT_DUAL_APPROVAL,
  maskingPatterns: [],
  updatedAt: null,
};

type Row = {
  retention_days: number;
  high_risk_types: string;
  dual_approval_actions: string;
  masking_patterns: string;
  updated_at: number;
};

export async function loadSettings(db: D1Database, tenantId: string): Promise<TenantAuditSettings> {
  const row = await db
    .prepare("SELECT * FROM audit_settings WHERE tenant_id = ?")
    .bind(tenantId)
    .first<Row>();
  if (!row) return DEFAULT_SETTINGS;
  return {
    retentionDays: row.retention_days,
    highRiskTypes: JSON.parse(row.high_risk_types),
    dualApprovalActions: JSON.parse(row.dual_approval_actions),
    maskingPatterns: JSON.parse(row.masking_patterns),
    updatedAt: row.updated_at,
  };
}

/** `a.*` matches a prefix, `*.delete` a suffix, anything else exactly. */
export function typeMatches(pattern: string, eventType: string): boolean {
  if (pattern.endsWith(".*")) return eventType.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*.")) return eventType.endsWith(pattern.slice(1));
  return pattern === eventType;
}

export function highRiskMatches(settings: TenantAuditSettings, eventType: string): string[] {
  return settings.highRiskTypes.filter((p) => typeMatches(p, eventType));
}

export async function policyFor(settings: TenantAuditSettings): Promise<MaskingPolicy> {
  const digest = settings.maskingPatterns.length
    ? await sha256Hex(JSON.stringify(settings.maskingPatterns))
    : "";
  return maskingPolicy(settings.maskingPatterns, digest);
}
