import type { RouteDefinition } from "@solidjs/router";
import { lazy } from "solid-js";
import { getSession } from "./api/session";
import { AcceptInvitationPage } from "./pages/accept-invitation";
import { HomePage } from "./pages/home";
import { NotFoundPage } from "./pages/not-found";

// Heavy pages (graphs, charts) load on demand so the first page stays small.
const TracesPage = lazy(() => import("./pages/traces").then((m) => ({ default: m.TracesPage })));
const TraceDetailPage = lazy(() =>
  import("./pages/trace-detail").then((m) => ({ default: m.TraceDetailPage })),
);
const AnalyticsPage = lazy(() => import("./pages/analytics").then((m) => ({ default: m.AnalyticsPage })));
const SettingsPage = lazy(() => import("./pages/settings").then((m) => ({ default: m.SettingsPage })));
const GovernancePage = lazy(() => import("./pages/governance").then((m) => ({ default: m.GovernancePage })));
const AuditPage = lazy(() => import("./pages/audit").then((m) => ({ default: m.AuditPage })));

export const routes: RouteDefinition[] = [
  { path: "/", component: HomePage, preload: () => void getSession() },
  { path: "/accept-invitation", component: AcceptInvitationPage },
  { path: "/traces", component: TracesPage },
  { path: "/traces/:id", component: TraceDetailPage },
  { path: "/governance/*rest", component: GovernancePage },
  { path: "/audit/*rest", component: AuditPage },
  { path: "/analytics", component: AnalyticsPage },
  { path: "/settings/*rest", component: SettingsPage },
  { path: "*404", component: NotFoundPage },
];
