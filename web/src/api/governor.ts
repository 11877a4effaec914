// The governor's API: rules, evaluations, the dashboard summary and the dry run. Rule sources travel
// as YAML, and their 400s point at a line and column, so those two go through `sendRule` here rather
// than the JSON-only client (which keeps only path + message from error details).
import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type {
  DryRunBody,
  DryRunResult,
  Evaluation,
  EvaluationList,
  EvaluationQuery,
  EvaluationSummary,
  Outcome,
  Rule,
  RuleVersionList,
  Severity,
  ToggleRuleBody,
} from "../../../worker/governor/schemas";
import { api, done, type FieldIssue, ok, queryOf } from "./client";

export type GovRule = z.output<typeof Rule>;
export type GovEvaluation = z.output<typeof Evaluation>;
export type GovSummary = z.output<typeof EvaluationSummary>;
export type DryRun = z.output<typeof DryRunResult>;
export type RuleVersions = z.output<typeof RuleVersionList>;
export type OutcomeName = z.output<typeof Outcome>;
export type SeverityName = z.output<typeof Severity>;
export type Counts = GovSummary["totals"];
type EvaluationPage = z.output<typeof EvaluationList>;

/** The filters the pages use; a subset of the route's query, typed from it. */
export type EvaluationFilter = Partial<
  Pick<z.output<typeof EvaluationQuery>, "outcome" | "rule_id" | "from" | "limit" | "cursor">
>;

export const RANGES = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type RangeKey = keyof typeof RANGES;
export const isRange = (v: unknown): v is RangeKey => typeof v === "string" && Object.hasOwn(RANGES, v);
export const rangeStart = (range: RangeKey) => new Date(Date.now() - RANGES[range]).toISOString();

export const getSummary = query(
  (range: RangeKey) => ok(api.evaluations.summary.$get({ query: { from: rangeStart(range) } })),
  "governor-summary",
);

export const listEvaluations = query(
  (filter: EvaluationFilter): Promise<EvaluationPage> => ok(api.evaluations.$get({ query: queryOf(filter) })),
  "governor-evaluations",
);

/** Newest amber and red evaluations together (the API filters on one outcome at a time). */
export const latestAlerts = query(async (range: RangeKey, limit: number) => {
  const from = rangeStart(range);
  const [red, amber] = await Promise.all(
    (["red", "amber"] as const).map((outcome) => listEvaluations({ outcome, from, limit })),
  );
  return [...(red?.data ?? []), ...(amber?.data ?? [])]
    .sort((a, b) => b.evaluated_at.localeCompare(a.evaluated_at))
    .slice(0, limit);
}, "governor-latest-alerts");

export const listRules = query(() => ok(api.rules.$get({ query: {} })), "governor-rules");

export const getRule = query((id: string) => ok(api.rules[":id"].$get({ param: { id } })), "governor-rule");

export const listRuleVersions = query(
  (id: string) => ok(api.rules[":id"].versions.$get({ param: { id } })),
  "governor-rule-versions",
);

/** Everything that shows governor data; refreshed together when alerts arrive. */
export const governorKeys = [getSummary.key, listEvaluations.key, latestAlerts.key];

export const setRuleEnabled = action(async (id: string, enabled: boolean) => {
  const body: z.input<typeof ToggleRuleBody> = { enabled };
  const rule = await ok(api.rules[":id"].$patch({ param: { id }, json: body }));
  return json(rule, { revalidate: [listRules.key, getRule.keyFor(id)] });
}, "governor-toggle-rule");

export const deleteRule = action(async (id: string) => {
  await done(api.rules[":id"].$delete({ param: { id } }));
  return json(null, { revalidate: [listRules.key] });
}, "governor-delete-rule");

/** A problem in a rule source; `line`/`column` are 1-based positions in the text that was sent. */
export type SourceIssue = FieldIssue;

/** Rule bodies go as the text typed (YAML), not as JSON: the server names the line of an error. */
const asYaml = (yaml: string) => ({ init: { body: yaml, headers: { "content-type": "application/yaml" } } });

/** Creates (no id) or replaces a rule from YAML text. */
export const saveRule = action(async (id: string | null, yaml: string) => {
  const rule = id
    ? await ok(api.rules[":id"].$put({ param: { id } }, asYaml(yaml)))
    : await ok(api.rules.$post({}, asYaml(yaml)));
  const revalidate = [listRules.key, getRule.keyFor(rule.id), listRuleVersions.keyFor(rule.id)];
  return json(rule, { revalidate });
}, "governor-save-rule");

/** Evaluates a draft against recent spans; saves nothing, so it is not an action. */
export function dryRunRule(yaml: string, limit: number): Promise<DryRun> {
  const body: z.input<typeof DryRunBody> = { rule: yaml, limit };
  return ok(api.rules["dry-run"].$post({ json: body }));
}

export const canEditRules = (role: string | undefined) => role === "owner" || role === "admin";
