import { createRoute } from "@hono/zod-openapi";
import { recorder } from "../audit/recorder";
import { requireAuth } from "../auth/middleware";
import { traceReader } from "../auth/visibility";
import { requestBody } from "../lib/body";
import { createRouter, errors, json, jsonBody, security } from "../lib/openapi";
import { readRuleSource } from "./body";
import { getEvaluation, listDeadLetters, listEvaluations, summarize } from "./queries";
import {
  DeadLetterList,
  DryRunBody,
  DryRunResult,
  Evaluation,
  EvaluationList,
  EvaluationQuery,
  EvaluationSummary,
  Rule,
  RuleIdParam,
  RuleList,
  RuleListQuery,
  RuleVersionList,
  SummaryQuery,
  ToggleRuleBody,
} from "./schemas";
import { dryRun } from "./service/dry-run";
import {
  createRule,
  deleteRule,
  listRules,
  listRuleVersions,
  replaceRule,
  ruleInTenant,
  setRuleEnabled,
  toRule,
} from "./service/rules";

const readers = { security: security.either, middleware: [requireAuth({ scope: "read" })] };
const editors = {
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })],
};
const rulesTag = ["rules"];
const evalTag = ["evaluations"];
const list = createRoute({
  ...readers,
  method: "get",
  path: "/rules",
  tags: rulesTag,
  summary: "List the tenant's rules",
  request: { query: RuleListQuery },
  responses: { 200: json(RuleList, "Rules"), ...errors(400, 401, 403) },
});
const get = createRoute({
  ...readers,
  method: "get",
  path: "/rules/{id}",
  tags: rulesTag,
  summary: "One rule",
  request: { params: RuleIdParam },
  responses: { 200: json(Rule, "The rule"), ...errors(401, 403, 404) },
});
const versions = createRoute({
  ...readers,
  method: "get",
  path: "/rules/{id}/versions",
  tags: rulesTag,
  summary: "Every saved revision of a rule",
  request: { params: RuleIdParam },
  responses: { 200: json(RuleVersionList, "Revisions, newest first"), ...errors(401, 403, 404) },
});
const toggle = createRoute({
  ...editors,
  method: "patch",
  path: "/rules/{id}",
  tags: rulesTag,
  summary: "Enable or disable a rule",
  request: { params: RuleIdParam, ...jsonBody(ToggleRuleBody) },
  responses: { 200: json(Rule, "Updated"), ...errors(400, 401, 403, 404) },
});
const remove = createRoute({
  ...editors,
  method: "delete",
  path: "/rules/{id}",
  tags: rulesTag,
  summary: "Delete a rule",
  request: { params: RuleIdParam },
  responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404) },
});
const dryRunRoute = createRoute({
  ...editors,
  method: "post",
  path: "/rules/dry-run",
  tags: rulesTag,
  summary: "Evaluate a draft rule against recent spans without saving it",
  request: jsonBody(DryRunBody),
  responses: { 200: json(DryRunResult, "What the rule would have said"), ...errors(400, 401, 403) },
});
const evaluations = createRoute({
  ...readers,
  method: "get",
  path: "/evaluations",
  tags: evalTag,
  summary: "Governor evaluations, newest first",
  request: { query: EvaluationQuery },
  responses: { 200: json(EvaluationList, "A page of evaluations"), ...errors(400, 401, 403) },
});
const summary = createRoute({
  ...readers,
  method: "get",
  path: "/evaluations/summary",
  tags: evalTag,
  summary: "Pass/amber/red counts per rule and policy group, with a daily trend",
  request: { query: SummaryQuery },
  responses: { 200: json(EvaluationSummary, "Summary"), ...errors(400, 401, 403) },
});
const evaluation = createRoute({
  ...readers,
  method: "get",
  path: "/evaluations/{id}",
  tags: evalTag,
  summary: "One evaluation",
  request: { params: RuleIdParam },
  responses: { 200: json(Evaluation, "The evaluation"), ...errors(401, 403, 404) },
});
const deadLetters = createRoute({
  ...editors,
  method: "get",
  path: "/governor/dead-letters",
  tags: evalTag,
  summary: "Governor jobs that failed every retry",
  responses: { 200: json(DeadLetterList, "Dead letters"), ...errors(401, 403) },
});

const ruleReads = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const filter = {
      enabled: q.enabled === undefined ? undefined : q.enabled === "true",
      policyGroup: q.policy_group,
    };
    return c.json(await listRules(c.var.tenant, filter), 200);
  })
  .openapi(dryRunRoute, async (c) => {
    const { rule, limit } = c.req.valid("json");
    return c.json(await dryRun(c.var.tenant, rule, limit), 200);
  })
  .openapi(get, async (c) => {
    return c.json(toRule(await ruleInTenant(c.var.tenant, c.req.valid("param").id)), 200);
  })
  .openapi(versions, async (c) => {
    return c.json(await listRuleVersions(c.var.tenant, c.req.valid("param").id), 200);
  })
  .openapi(toggle, async (c) => {
    return c.json(
      await setRuleEnabled(recorder(c), c.req.valid("param").id, c.req.valid("json").enabled),
      200,
    );
  })
  .openapi(remove, async (c) => {
    await deleteRule(recorder(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(evaluations, async (c) => {
    return c.json(await listEvaluations(traceReader(c.var.tenant), c.req.valid("query")), 200);
  })
  .openapi(summary, async (c) => {
    const q = c.req.valid("query");
    return c.json(await summarize(traceReader(c.var.tenant), q.from, q.to), 200);
  })
  .openapi(evaluation, async (c) => {
    return c.json(await getEvaluation(traceReader(c.var.tenant), c.req.valid("param").id), 200);
  })
  .openapi(deadLetters, async (c) => c.json(await listDeadLetters(c.var.tenant), 200));

// Rule bodies are YAML or JSON, read by the rule parser (which names the line of a YAML error):
// documented here, not validated by the OpenAPI layer.
const ruleBody = {
  required: true,
  description: "One rule as YAML (application/yaml, text/yaml) or JSON; see docs/rules.md",
  content: {
    "application/yaml": { schema: { type: "string" as const } },
    "application/json": { schema: { type: "object" as const, additionalProperties: true } },
  },
};
const create = createRoute({
  ...editors,
  method: "post",
  path: "/rules",
  tags: rulesTag,
  summary: "Create a rule (YAML or JSON)",
  request: { body: ruleBody },
  responses: { 201: json(Rule, "Saved"), ...errors(400, 401, 403, 409, 413, 415) },
});
const replace = createRoute({
  ...editors,
  method: "put",
  path: "/rules/{id}",
  tags: rulesTag,
  summary: "Replace a rule; saved as a new revision",
  request: { params: RuleIdParam, body: ruleBody },
  responses: { 200: json(Rule, "Saved"), ...errors(400, 401, 403, 404, 409, 413, 415) },
});

export const governorRoutes = ruleReads
  .openapi(create, async (c) => {
    const source = readRuleSource(c.req.raw, requestBody(c));
    return c.json(await createRule(recorder(c), c.var.principal, source), 201);
  })
  .openapi(replace, async (c) => {
    const source = readRuleSource(c.req.raw, requestBody(c));
    return c.json(await replaceRule(recorder(c), c.var.principal, c.req.valid("param").id, source), 200);
  });
