import type { RouteDefinition, RouteSectionProps } from "@solidjs/router";
import { type Component, lazy } from "solid-js";
import { AcceptInvitationPage } from "./pages/accept-invitation";
import { HomePage } from "./pages/home";
import { NotFoundPage } from "./pages/not-found";
import {
  preloadAlertChannels,
  preloadAnalytics,
  preloadApiKeys,
  preloadApprovals,
  preloadAudit,
  preloadAuditSettings,
  preloadEditRule,
  preloadGovernanceOverview,
  preloadHome,
  preloadInvitations,
  preloadMembers,
  preloadRule,
  preloadRules,
  preloadSession,
  preloadSiem,
  preloadTrace,
  preloadTraces,
} from "./preloads";

/** One export of a page module, loaded on demand: heavy pages (graphs, charts) keep the first page small. */
const page = <M extends Record<K, Component<RouteSectionProps>>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
) => lazy(async () => ({ default: (await load())[name] }));

const traces = () => import("./pages/traces");
const traceDetail = () => import("./pages/trace-detail");
const governance = () => import("./pages/governance");
const audit = () => import("./pages/audit");
const analytics = () => import("./pages/analytics");
const settings = () => import("./pages/settings");

export const routes: RouteDefinition[] = [
  { path: "/", component: HomePage, preload: preloadHome },
  { path: "/accept-invitation", component: AcceptInvitationPage },
  {
    path: "/traces",
    children: [
      { path: "/", component: page(traces, "TracesPage"), preload: preloadTraces },
      { path: "/:id", component: page(traceDetail, "TraceDetailPage"), preload: preloadTrace },
    ],
  },
  {
    path: "/governance",
    component: page(governance, "GovernanceLayout"),
    preload: preloadSession,
    children: [
      { path: "/", component: page(governance, "GovernanceOverview"), preload: preloadGovernanceOverview },
      { path: "/rules", component: page(governance, "GovernanceRules"), preload: preloadRules },
      { path: "/rules/new", component: page(governance, "GovernanceNewRule") },
      { path: "/rules/:id", component: page(governance, "GovernanceRule"), preload: preloadRule },
      {
        path: "/rules/:id/edit",
        component: page(governance, "GovernanceEditRule"),
        preload: preloadEditRule,
      },
      { path: "*404", component: page(governance, "GovernanceNotFound") },
    ],
  },
  { path: "/audit", component: page(audit, "AuditPage"), preload: preloadAudit },
  { path: "/analytics", component: page(analytics, "AnalyticsPage"), preload: preloadAnalytics },
  {
    path: "/settings",
    component: page(settings, "SettingsLayout"),
    preload: preloadSession,
    children: [
      { path: "/", component: page(settings, "MembersSettings"), preload: preloadMembers },
      { path: "/members", component: page(settings, "MembersSettings"), preload: preloadMembers },
      { path: "/invitations", component: page(settings, "InvitationsSettings"), preload: preloadInvitations },
      { path: "/api-keys", component: page(settings, "ApiKeysSettings"), preload: preloadApiKeys },
      { path: "/audit", component: page(settings, "AuditSettings"), preload: preloadAuditSettings },
      { path: "/siem", component: page(settings, "SiemSettings"), preload: preloadSiem },
      {
        path: "/alert-channels",
        component: page(settings, "AlertChannelsSettings"),
        preload: preloadAlertChannels,
      },
      { path: "/approvals", component: page(settings, "ApprovalsSettings"), preload: preloadApprovals },
      { path: "*404", component: page(settings, "NoSuchSettings") },
    ],
  },
  { path: "*404", component: NotFoundPage },
];
