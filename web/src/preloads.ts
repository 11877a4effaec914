// What each route fetches before its page renders (on navigation, and on hovering a link to it). Every
// call here is the same `query` call, with the same arguments, that the page makes with `createAsync`,
// so the page reads the response already on its way instead of starting it.
import type { Params, RoutePreloadFuncArgs, SearchParams } from "@solidjs/router";
import { listAgentNames } from "./api/agents";
import { listAlertChannels } from "./api/alert-channels";
import { getAnalytics, isRangeId } from "./api/analytics";
import { listApiKeys } from "./api/api-keys";
import { getAuditSettings, listArchiveDays } from "./api/audit";
import { listApprovals } from "./api/audit-approvals";
import { getCheckpoint, getPublicKey } from "./api/audit-proofs";
import { listSiemEndpoints } from "./api/audit-siem";
import { getFleetCapabilities, getFleetOverview, getFleetWorkspaces } from "./api/fleet";
import { getRule, getSummary, isRange, latestAlerts, listRules, listRuleVersions } from "./api/governor";
import { getSession, type Session } from "./api/session";
import { getTrace, getTraceDag, listTraces } from "./api/traces";
import { isAdmin, listInvitations, listMembers } from "./api/users";
import { firstPage, pageSize } from "./components/audit/event-list";
import { readFilters as readAuditFilters, readSource, toQuery } from "./components/audit/filters-state";
import { readFleetFilters, readInactive, readTab } from "./components/fleet/fleet-state";
import { readFilters as readTraceFilters } from "./components/traces/trace-filters-state";
import { preloadLiveFeed } from "./live/use-live-feed";

type Preload = (args: RoutePreloadFuncArgs) => void;
/** The address being loaded, copied when the preload starts. */
type Target = { params: Params; query: SearchParams };
type Load = (target: Target, me: Session) => readonly Promise<unknown>[];

/**
 * Starts `load` once the session is known, and only for someone signed in (a signed-out visitor
 * would collect 401s). Failures are left for the page to show when it reads the same query.
 *
 * The params and query are copied before the wait: on navigation the router's objects are reactive
 * and, read after it, would still describe the page being left.
 */
const signedIn =
  (load: Load): Preload =>
  ({ params, location }) => {
    const target = { params: { ...params }, query: { ...location.query } };
    void getSession()
      .then((me) => (me ? Promise.allSettled(load(target, me)) : undefined))
      .catch(() => {});
  };

/** For pages that are live from the start: their feed module loads alongside the page's own code. */
const live =
  (preload: Preload): Preload =>
  (args) => {
    preloadLiveFeed();
    preload(args);
  };

const adminOnly = (load: Load): Preload =>
  signedIn((target, me) => (isAdmin(me.user.role) ? load(target, me) : []));

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
/** Governance pages keep their range in `?range=` (7 days when absent), as `useRange` reads it. */
const governanceRange = ({ query }: Target) => {
  const range = one(query.range);
  return isRange(range) ? range : "7d";
};
const ruleId = ({ params }: Target) => decodeURIComponent(params.id ?? "");

export const preloadSession: Preload = () => void getSession();

export const preloadHome = signedIn(() => [listApiKeys()]);

export const preloadTraces = signedIn(({ query }) => [listTraces(readTraceFilters(query)), listAgentNames()]);

export const preloadTrace = live(
  signedIn(({ params }) => [getTrace(params.id ?? ""), getTraceDag(params.id ?? "")]),
);

export const preloadGovernanceOverview = signedIn((target) => [
  getSummary(governanceRange(target)),
  listRules(),
  latestAlerts(governanceRange(target), 6),
]);

export const preloadRules = signedIn(() => [listRules()]);

// The evaluations list is left out: its query starts at "now minus the range", known only on render.
export const preloadRule = signedIn((target) => [
  getRule(ruleId(target)),
  getSummary(governanceRange(target)),
  listRuleVersions(ruleId(target)),
]);

export const preloadEditRule = signedIn((target) => [
  getRule(ruleId(target)),
  ...(Number(one(target.query.revision)) ? [listRuleVersions(ruleId(target))] : []),
]);

export const preloadAudit = live(
  adminOnly(({ query: search }) => {
    const filters = readAuditFilters(search);
    const proofs = [getCheckpoint(), getPublicKey()];
    // A preset range ("last hour") is resolved against the clock when the page renders, so the page's
    // query key is not known here.
    if (filters.range && filters.range !== "custom") return proofs;
    const query = toQuery(filters, Date.now());
    return [...proofs, firstPage(query, pageSize(!!filters.conversation_id), readSource(search))];
  }),
);

export const preloadAnalytics = signedIn(({ query }) => {
  const tab = readTab(query);
  const filters = readFleetFilters(query);
  if (tab === "overview") return [getFleetOverview(filters)];
  if (tab === "workspace") return [getFleetWorkspaces(filters, readInactive(query))];
  if (tab === "capability") return [getFleetCapabilities(filters)];
  const range = one(query.range);
  const agent = one(query.agent) || undefined;
  return [getAnalytics(isRangeId(range) ? range : "7d", agent), listAgentNames()];
});

export const preloadMembers = signedIn(() => [listMembers()]);
export const preloadInvitations = adminOnly(() => [listInvitations()]);
export const preloadApiKeys = signedIn(() => [listApiKeys()]);
export const preloadAuditSettings = adminOnly(() => [getAuditSettings(), listArchiveDays(undefined)]);
export const preloadSiem = adminOnly(() => [listSiemEndpoints()]);
export const preloadAlertChannels = adminOnly(() => [listAlertChannels()]);
export const preloadApprovals = adminOnly(() => [listApprovals("pending")]);
