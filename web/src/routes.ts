import type { RouteDefinition } from "@solidjs/router";
import { getSession } from "./api/session";
import { AcceptInvitationPage } from "./pages/accept-invitation";
import { HomePage } from "./pages/home";
import { NotFoundPage } from "./pages/not-found";

export const routes: RouteDefinition[] = [
  { path: "/", component: HomePage, preload: () => void getSession() },
  { path: "/accept-invitation", component: AcceptInvitationPage },
  { path: "*404", component: NotFoundPage },
];
