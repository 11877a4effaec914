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
  RuleList,
  RuleVersionList,
  Severity,
  ToggleRuleBody,
} from "../../../worker/governor/schemas";
import { ApiError, request, requestEmpty } from "./client";
import { getSession } from "./session";

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

const qs = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") search.set(k, String(v));
  return search.toString();
};

export const getSummary = query(
  (range: RangeKey) =>
    request<GovSummary>("GET", `/api/v1/evaluations/summary?${qs({ from: rangeStart(range) })}`),
  "governor-summary",
);

export const listEvaluations = query(
  (filter: EvaluationFilter) => request<EvaluationPage>("GET", `/api/v1/evaluations?${qs(filter)}`),
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

export const listRules = query(
  () => request<z.output<typeof RuleList>>("GET", "/api/v1/rules"),
  "governor-rules",
);

export const getRule = query(
  (id: string) => request<GovRule>("GET", `/api/v1/rules/${encodeURIComponent(id)}`),
  "governor-rule",
);

export const listRuleVersions = query(
  (id: string) => request<RuleVersions>("GET", `/api/v1/rules/${encodeURIComponent(id)}/versions`),
  "governor-rule-versions",
);

/** Everything that shows governor data; refreshed together when alerts arrive. */
export const governorKeys = [getSummary.key, listEvaluations.key, latestAlerts.key];

export const setRuleEnabled = action(async (id: string, enabled: boolean) => {
  const body: z.input<typeof ToggleRuleBody> = { enabled };
  const rule = await request<GovRule>("PATCH", `/api/v1/rules/${encodeURIComponent(id)}`, body);
  return json(rule, { revalidate: [listRules.key, getRule.keyFor(id)] });
}, "governor-toggle-rule");

export const deleteRule = action(async (id: string) => {
  await requestEmpty("DELETE", `/api/v1/rules/${encodeURIComponent(id)}`);
  return json(null, { revalidate: [listRules.key] });
}, "governor-delete-rule");

/** A problem in a rule source; `line`/`column` are 1-based positions in the text that was sent. */
export type SourceIssue = { path: string; message: string; line?: number; column?: number };

export class RuleSourceError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly issues: readonly SourceIssue[],
  ) {
    super(status, code, message, issues);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const posInt = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);

function toIssues(v: unknown): SourceIssue[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((d) =>
    isRecord(d) && typeof d.path === "string" && typeof d.message === "string"
      ? [{ path: d.path, message: d.message, line: posInt(d.line), column: posInt(d.column) }]
      : [],
  );
}

async function toSourceError(res: Response): Promise<RuleSourceError> {
  const body: unknown = await res.json().catch(() => null);
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  return new RuleSourceError(
    res.status,
    typeof error.code === "string" ? error.code : "http_error",
    typeof error.message === "string" ? error.message : `Request failed (${res.status} ${res.statusText})`,
    toIssues(error.details),
  );
}

async function sendRule<T>(method: "POST" | "PUT", path: string, body: string, type: string): Promise<T> {
  const session = await getSession();
  const headers = new Headers({ accept: "application/json", "content-type": type });
  if (session) headers.set("x-csrf-token", session.csrf_token);
  const res = await fetch(path, { method, headers, body, credentials: "same-origin" });
  if (!res.ok) throw await toSourceError(res);
  return (await res.json()) as T;
}

/** Creates (no id) or replaces a rule from YAML text. */
export const saveRule = action(async (id: string | null, yaml: string) => {
  const rule = id
    ? await sendRule<GovRule>("PUT", `/api/v1/rules/${encodeURIComponent(id)}`, yaml, "application/yaml")
    : await sendRule<GovRule>("POST", "/api/v1/rules", yaml, "application/yaml");
  const revalidate = [listRules.key, getRule.keyFor(rule.id), listRuleVersions.keyFor(rule.id)];
  return json(rule, { revalidate });
}, "governor-save-rule");

/** Evaluates a draft against recent spans; saves nothing, so it is not an action. */
export function dryRunRule(yaml: string, limit: number): Promise<DryRun> {
  const body: z.input<typeof DryRunBody> = { rule: yaml, limit };
  return sendRule<DryRun>("POST", "/api/v1/rules/dry-run", JSON.stringify(body), "application/json");
}

export const canEditRules = (role: string | undefined) => role === "owner" || role === "admin";
