import { and, desc, eq } from "drizzle-orm";
import { stringify } from "yaml";
import type { AuditRecorder } from "../../audit/recorder";
import type { TenantContext } from "../../db/client";
import { rules, ruleVersions } from "../../db/schema";
import type { Principal } from "../../env";
import { ConflictError, NotFoundError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { isoTime } from "../../lib/time";
import { DEFAULT_PACKS } from "../rules/default-packs";
import { parseRule, parseRulePack, type RuleDefinition } from "../rules/parse";
import type { Rule } from "../schemas";

export type RuleSource = { text: string; format: "yaml" | "json" };
type Row = typeof rules.$inferSelect;

const iso = isoTime;

export function toRule(row: Row): Rule {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    version: row.version,
    revision: row.revision,
    target_span_type: row.targetSpanType,
    policy_group: row.policyGroup,
    severity: row.severity as Rule["severity"],
    enabled: row.enabled,
    definition: JSON.parse(row.definition),
    source: row.source,
    source_format: row.sourceFormat as Rule["source_format"],
    pack: row.pack,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

function rowFor(
  tenantId: string,
  def: RuleDefinition,
  source: RuleSource,
  by: string | null,
  pack: string | null,
): Row {
  const now = Date.now();
  return {
    id: newId("rule_"),
    tenantId,
    name: def.name,
    description: def.description ?? null,
    version: def.version,
    revision: 1,
    targetSpanType: def.target_span_type,
    policyGroup: def.policy_group,
    severity: def.severity,
    enabled: def.enabled,
    definition: JSON.stringify(def),
    source: source.text,
    sourceFormat: source.format,
    pack,
    createdBy: by,
    createdAt: now,
    updatedAt: now,
  };
}

function versionOf(row: Row) {
  return {
    tenantId: row.tenantId,
    ruleId: row.id,
    revision: row.revision,
    version: row.version,
    definition: row.definition,
    source: row.source,
    createdBy: row.createdBy,
    createdAt: row.updatedAt,
  };
}

async function nameTaken(db: TenantContext["db"], tenantId: string, name: string, except?: string) {
  const [hit] = await db
    .select({ id: rules.id })
    .from(rules)
    .where(and(eq(rules.tenantId, tenantId), eq(rules.name, name)));
  return Boolean(hit && hit.id !== except);
}

const ruleTarget = (row: Pick<Row, "id" | "name">) => [{ type: "rule", id: row.id, name: row.name }];
/** What an audit diff shows of a rule: its definition and switches, not storage columns. */
const auditView = (row: Row) => ({
  name: row.name,
  version: row.version,
  revision: row.revision,
  enabled: row.enabled,
  severity: row.severity,
  definition: JSON.parse(row.definition) as unknown,
});

export async function createRule(rec: AuditRecorder, p: Principal, source: RuleSource): Promise<Rule> {
  const { db } = rec.tenant;
  const def = parseRule(source.text, source.format);
  if (await nameTaken(db, rec.tenant.id, def.name))
    throw new ConflictError(`A rule named '${def.name}' already exists`);
  const row = rowFor(rec.tenant.id, def, source, p.userId, null);
  await rec.commit(
    [db.insert(rules).values(row), db.insert(ruleVersions).values(versionOf(row))],
    [{ event_type: "rule.create", crud: "c", target: ruleTarget(row), changes: { after: auditView(row) } }],
  );
  return toRule(row);
}

export async function ruleInTenant({ db, id: tenantId }: TenantContext, id: string): Promise<Row> {
  const [row] = await db
    .select()
    .from(rules)
    .where(and(eq(rules.tenantId, tenantId), eq(rules.id, id)));
  if (!row) throw new NotFoundError("Rule");
  return row;
}

/** Saves an edit as a new revision; earlier evaluations keep naming the revision they used. */
export async function replaceRule(
  rec: AuditRecorder,
  p: Principal,
  id: string,
  source: RuleSource,
): Promise<Rule> {
  const { db } = rec.tenant;
  const current = await ruleInTenant(rec.tenant, id);
  const def = parseRule(source.text, source.format);
  if (await nameTaken(db, rec.tenant.id, def.name, id))
    throw new ConflictError(`A rule named '${def.name}' already exists`);
  const fresh = rowFor(rec.tenant.id, def, source, p.userId, current.pack);
  const row: Row = {
    ...fresh,
    id,
    revision: current.revision + 1,
    createdAt: current.createdAt,
    createdBy: current.createdBy,
  };
  const { id: _id, tenantId: _t, createdAt: _c, createdBy: _b, ...changes } = row;
  await rec.commit(
    [
      db
        .update(rules)
        .set(changes)
        .where(and(eq(rules.tenantId, rec.tenant.id), eq(rules.id, id))),
      db.insert(ruleVersions).values({ ...versionOf(row), createdBy: p.userId }),
    ],
    [
      {
        event_type: "rule.update",
        crud: "u",
        target: ruleTarget(row),
        changes: { before: auditView(current), after: auditView(row) },
      },
    ],
  );
  return toRule(row);
}

export async function setRuleEnabled(rec: AuditRecorder, id: string, enabled: boolean): Promise<Rule> {
  const { db } = rec.tenant;
  const current = await ruleInTenant(rec.tenant, id);
  const updatedAt = Date.now();
  await rec.commit(
    [
      db
        .update(rules)
        .set({ enabled, updatedAt })
        .where(and(eq(rules.tenantId, rec.tenant.id), eq(rules.id, id))),
    ],
    [
      {
        event_type: enabled ? "rule.enable" : "rule.disable",
        crud: "u",
        target: ruleTarget(current),
        changes: { before: { enabled: current.enabled }, after: { enabled } },
      },
    ],
  );
  return toRule({ ...current, enabled, updatedAt });
}

/** Deletes the rule; its versions stay so past evaluations still resolve. */
export async function deleteRule(rec: AuditRecorder, id: string): Promise<void> {
  const { db } = rec.tenant;
  const current = await ruleInTenant(rec.tenant, id);
  await rec.commit(
    [db.delete(rules).where(and(eq(rules.tenantId, rec.tenant.id), eq(rules.id, id)))],
    [
      {
        event_type: "rule.delete",
        crud: "d",
        target: ruleTarget(current),
        changes: { before: auditView(current) },
      },
    ],
  );
}

export async function listRules(
  { db, id: tenantId }: TenantContext,
  filter: { enabled?: boolean; policyGroup?: string },
) {
  const where = [eq(rules.tenantId, tenantId)];
  if (filter.enabled !== undefined) where.push(eq(rules.enabled, filter.enabled));
  if (filter.policyGroup) where.push(eq(rules.policyGroup, filter.policyGroup));
  const rows = await db
    .select()
    .from(rules)
    .where(and(...where))
    .orderBy(rules.policyGroup, rules.name);
  return { data: rows.map(toRule), next_cursor: null };
}

export async function listRuleVersions(tenant: TenantContext, id: string) {
  const { db, id: tenantId } = tenant;
  await ruleInTenant(tenant, id);
  const rows = await db
    .select()
    .from(ruleVersions)
    .where(and(eq(ruleVersions.tenantId, tenantId), eq(ruleVersions.ruleId, id)))
    .orderBy(desc(ruleVersions.revision));
  return {
    data: rows.map((v) => ({
      revision: v.revision,
      version: v.version,
      definition: JSON.parse(v.definition),
      source: v.source,
      created_by: v.createdBy,
      created_at: iso(v.createdAt),
    })),
    next_cursor: null,
  };
}

let defaultRules: { def: RuleDefinition; pack: string; source: string }[] | undefined;

/** The default packs' rules for a new tenant (parsed once per isolate). */
export function defaultRuleRows(tenantId: string) {
  defaultRules ??= DEFAULT_PACKS.flatMap((pack) =>
    parseRulePack(pack.source, "yaml").map((def) => ({ def, pack: pack.id, source: pack.source })),
  );
  return defaultRules.map(({ def, pack }) => {
    const row = rowFor(tenantId, def, { text: stringify(def), format: "yaml" }, null, pack);
    return { row, version: versionOf(row) };
  });
}

/** Installs the default packs into a new tenant's data database, in one batch. */
export async function installDefaultRules(rec: AuditRecorder): Promise<void> {
  // One statement per row: D1 allows at most 100 bound parameters per statement.
  const { db, id: tenantId } = rec.tenant;
  const rows = defaultRuleRows(tenantId);
  const statements = rows.flatMap((r) => [
    db.insert(rules).values(r.row),
    db.insert(ruleVersions).values(r.version),
  ]);
  await rec.commit(statements, [
    {
      event_type: "rule.install_defaults",
      crud: "c",
      target: rows.slice(0, 20).map((r) => ({ type: "rule", id: r.row.id, name: r.row.name })),
      metadata: {
        rules: rows.length,
        packs: [...new Set(rows.map((r) => r.row.pack))].join(", ").slice(0, 500),
      },
    },
  ]);
}
