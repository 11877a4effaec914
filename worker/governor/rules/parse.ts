/**
 * Rule sources (YAML or JSON) → validated RuleDefinitions in CEL form. Every problem is reported
 * with its path (`rules.0.measure`) and, where the source allows, line and column.
 */
import { type RuleErrorDetail, RuleValidationError } from "./errors";
import { normalizeRule, type Problem } from "./normalize";
import { MAX_SOURCE_LENGTH, type RuleDefinition, RulePackInput } from "./schema";
import { type Path, readSource, type SourceDoc } from "./source";

export { RuleValidationError } from "./errors";
export { ruleHash } from "./hash";
export { RuleDefinition, RuleInput } from "./schema";

export type RuleFormat = "yaml" | "json";

const MAX_DETAILS = 50;

function detailsOf(doc: SourceDoc, prefix: Path, problems: Problem[]): RuleErrorDetail[] {
  return problems.map((p) => {
    const path = [...prefix, ...p.path];
    const pos = doc.locate(path, { offset: p.offset, key: p.key });
    return { path: path.join("."), message: p.message, ...pos };
  });
}

function read(source: string, format: RuleFormat): SourceDoc {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new RuleValidationError([
      { path: "", message: `source longer than ${MAX_SOURCE_LENGTH} characters` },
    ]);
  }
  return readSource(source, format);
}

function duplicateNames(defs: RuleDefinition[]): Problem[] {
  const seen = new Set<string>();
  return defs.flatMap((def, i): Problem[] => {
    if (!seen.has(def.name)) {
      seen.add(def.name);
      return [];
    }
    return [{ path: ["rules", i, "name"], message: `duplicate rule name '${def.name}' in this pack` }];
  });
}

/** Parses a pack `{ rules: [...] }`; throws RuleValidationError listing every problem found. */
export function parseRulePack(source: string, format: RuleFormat): RuleDefinition[] {
  const doc = read(source, format);
  const pack = RulePackInput.safeParse(doc.value);
  if (!pack.success) {
    const problems = pack.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
    throw new RuleValidationError(detailsOf(doc, [], problems));
  }
  const defs: RuleDefinition[] = [];
  const details: RuleErrorDetail[] = [];
  pack.data.rules.forEach((raw, i) => {
    const result = normalizeRule(raw);
    if (result.ok) defs.push(result.value);
    else details.push(...detailsOf(doc, ["rules", i], result.problems));
  });
  if (!details.length) details.push(...detailsOf(doc, [], duplicateNames(defs)));
  if (details.length) throw new RuleValidationError(details.slice(0, MAX_DETAILS));
  return defs;
}

/** Parses a single rule object; error paths have no `rules.N.` prefix. */
export function parseRule(source: string, format: RuleFormat): RuleDefinition {
  const doc = read(source, format);
  const result = normalizeRule(doc.value);
  if (!result.ok) throw new RuleValidationError(detailsOf(doc, [], result.problems).slice(0, MAX_DETAILS));
  return result.value;
}

/** Validates a definition that is already a JS value (e.g. a JSON request body). */
export function validateRule(value: unknown): RuleDefinition {
  const result = normalizeRule(value);
  if (!result.ok) {
    const details = result.problems.map((p) => ({ path: p.path.join("."), message: p.message }));
    throw new RuleValidationError(details.slice(0, MAX_DETAILS));
  }
  return result.value;
}
