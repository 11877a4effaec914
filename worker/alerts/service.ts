/**
 * Changing alert rules (one detector, or a whole YAML document) and acknowledging incidents.
 * Each change commits in one batch with its audit event: `alert_rule.updated` per detector whose
 * settings changed, `alert_event.acknowledged`.
 */
import { parseDocument, stringify } from "yaml";
import type { AuditDraft } from "../audit/record";
import type { AuditRecorder } from "../audit/recorder";
import type { TenantContext } from "../db/client";
import { ValidationError } from "../lib/errors";
import { isoTimeOrNull } from "../lib/time";
import { type EffectiveRule, eventRow, getEvent, loadRules } from "./queries";
import { checkConfig, checkDocument, DETECTORS, defaultConfig, type RuleConfig } from "./rules";
import type { AlertEvent, AlertRule, Detector } from "./schemas";

function toAlertRule(r: EffectiveRule): AlertRule {
  const { enabled, ...config } = r.config;
  const { enabled: _, ...defaults } = defaultConfig(r.detector);
  return {
    detector: r.detector,
    enabled,
    config,
    defaults,
    customized: r.updatedAt !== null,
    updated_at: isoTimeOrNull(r.updatedAt),
    updated_by: r.updatedBy,
  };
}

export async function listAlertRules(tenant: TenantContext): Promise<{ data: AlertRule[] }> {
  const rules = await loadRules(tenant);
  return { data: DETECTORS.map((d) => toAlertRule(rules[d])) };
}

function upsert(tenant: TenantContext, detector: Detector, config: RuleConfig, by: string, now: number) {
  const { enabled, ...rest } = config;
  return tenant.d1
    .prepare(
      `INSERT INTO alert_rules (tenant_id, detector, enabled, config, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (tenant_id, detector) DO UPDATE SET enabled = ?3, config = ?4, updated_at = ?5, updated_by = ?6`,
    )
    .bind(tenant.id, detector, enabled ? 1 : 0, JSON.stringify(rest), now, by);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changeDraft(detector: Detector, before: RuleConfig, after: RuleConfig): AuditDraft {
  return {
    event_type: "alert_rule.updated",
    crud: "u",
    target: [{ type: "alert_rule", id: detector, name: detector }],
    changes: { before, after },
  };
}

/** Saves the given settings; changes nothing (and records nothing) when they equal the current ones. */
async function save(rec: AuditRecorder, next: Partial<Record<Detector, RuleConfig>>): Promise<Detector[]> {
  const tenant = rec.tenant;
  const current = await loadRules(tenant);
  const changed = (Object.keys(next) as Detector[]).filter((d) => !same(current[d].config, next[d]));
  if (!changed.length) return [];
  const by = tenant.principal?.userId ?? "system";
  const now = Date.now();
  await rec.commit(
    changed.map((d) => upsert(tenant, d, next[d] as RuleConfig, by, now)),
    changed.map((d) => changeDraft(d, current[d].config, next[d] as RuleConfig)),
  );
  return changed;
}

/** PUT: the body is the detector's whole settings; fields left out take their defaults. */
export async function updateAlertRule(
  rec: AuditRecorder,
  detector: Detector,
  body: unknown,
): Promise<AlertRule> {
  const checked = checkConfig(detector, body);
  if (!checked.ok) throw new ValidationError("Please correct the highlighted fields", checked.details);
  await save(rec, { [detector]: checked.value });
  return toAlertRule((await loadRules(rec.tenant))[detector]);
}

const yamlError = (message: string) =>
  new ValidationError("The rules document is not valid YAML", [{ path: "(root)", message }]);

function parseYaml(text: string): unknown {
  try {
    const doc = parseDocument(text, { prettyErrors: false });
    const [error] = doc.errors;
    const at = error?.linePos?.[0];
    if (error) throw yamlError(`${error.message}${at ? ` (line ${at.line}, column ${at.col})` : ""}`);
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias bomb or nesting past the stack: refused like any other bad document.
    if (err instanceof ValidationError) throw err;
    throw yamlError(err instanceof Error ? err.message.slice(0, 200) : "unreadable");
  }
}

/** POST import: every detector in the document is checked first; then all of them are saved at once. */
export async function importAlertRules(rec: AuditRecorder, text: string) {
  const checked = checkDocument(parseYaml(text));
  if (!checked.ok) throw new ValidationError("Please correct the rules document", checked.details);
  const changed = await save(rec, checked.value);
  return { ...(await listAlertRules(rec.tenant)), changed };
}

export async function exportAlertRules(tenant: TenantContext): Promise<string> {
  const rules = await loadRules(tenant);
  const detectors = Object.fromEntries(DETECTORS.map((d) => [d, rules[d].config]));
  const header = `# AuditTrail alert rules (docs/alerts.md). Import with POST /api/v1/alerts/rules/import.\n`;
  return header + stringify({ detectors });
}

export async function acknowledgeEvent(rec: AuditRecorder, id: string): Promise<AlertEvent> {
  const tenant = rec.tenant;
  const row = await eventRow(tenant, id);
  if (row.acknowledged_at !== null) return getEvent(tenant, id);
  const by = tenant.principal?.email ?? "system";
  const update = tenant.d1
    .prepare(
      "UPDATE alert_events SET acknowledged_at = ?1, acknowledged_by = ?2, updated_at = ?1 WHERE tenant_id = ?3 AND id = ?4 AND acknowledged_at IS NULL",
    )
    .bind(Date.now(), by, tenant.id, id);
  await rec.commit(
    [update],
    [
      {
        event_type: "alert_event.acknowledged",
        crud: "u",
        target: [{ type: "alert_event", id, name: row.summary.slice(0, 200) }],
        changes: { after: { acknowledged_by: by } },
      },
    ],
  );
  return getEvent(tenant, id);
}
