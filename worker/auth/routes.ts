import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { anonymousRecorder, recorder } from "../audit/recorder";
import { control, dataShards } from "../db/client";
import type { AppEnv } from "../env";
import { installDefaultRules } from "../governor/service/rules";
import { RateLimitedError } from "../lib/errors";
import { createRouter, errors, json, jsonBody, security } from "../lib/openapi";
import { requireAuth } from "./middleware";
import { AcceptInvitationBody, LoginBody, Me, SignupBody } from "./schemas";
import { type AuditFor, acceptInvitation, describeSession, login, logout, signup } from "./service";
import { clearSessionCookie, writeSessionCookie } from "./session";

const tags = ["auth"];
const clientIp = (c: { req: { header(name: string): string | undefined } }) =>
  c.req.header("cf-connecting-ip") ?? "local";

/** Before sign-in there is no principal: the user the request is about is the actor. */
const auditFor =
  (c: Context<AppEnv>): AuditFor =>
  (tenant, user) =>
    anonymousRecorder(c, tenant, { type: "user", id: user.id, display: user.email });

const signupRoute = createRoute({
  method: "post",
  path: "/signup",
  tags,
  summary: "Create a tenant and its owner; signs in",
  request: jsonBody(SignupBody),
  responses: { 201: json(Me, "Signed up; session cookie set"), ...errors(400, 409, 429) },
});
const loginRoute = createRoute({
  method: "post",
  path: "/login",
  tags,
  summary: "Sign in with email and password",
  request: jsonBody(LoginBody),
  responses: { 200: json(Me, "Signed in; session cookie set"), ...errors(400, 401, 429) },
});
const logoutRoute = createRoute({
  method: "post",
  path: "/logout",
  tags,
  summary: "Revoke the current session",
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false })],
  responses: { 204: { description: "Signed out" }, ...errors(401, 403) },
});
const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags,
  summary: "The signed-in user, tenant and CSRF token",
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false })],
  responses: { 200: json(Me, "Current session"), ...errors(401) },
});
const acceptRoute = createRoute({
  method: "post",
  path: "/accept-invitation",
  tags,
  summary: "Accept an invitation: set a password and sign in",
  request: jsonBody(AcceptInvitationBody),
  responses: { 201: json(Me, "Account created; session cookie set"), ...errors(400, 404, 409, 429) },
});

export const authRoutes = createRouter()
  .openapi(signupRoute, async (c) => {
    const { success } = await c.env.SIGNUP_LIMITER.limit({ key: clientIp(c) });
    if (!success) throw new RateLimitedError();
    const { token, me } = await signup(
      control(c.env).db,
      auditFor(c),
      c.req.valid("json"),
      dataShards(c.env),
      installDefaultRules,
    );
    writeSessionCookie(c, token);
    return c.json(me, 201);
  })
  .openapi(loginRoute, async (c) => {
    const { success } = await c.env.LOGIN_LIMITER.limit({ key: clientIp(c) });
    if (!success) throw new RateLimitedError();
    const { token, me } = await login(control(c.env).db, auditFor(c), c.req.valid("json"));
    writeSessionCookie(c, token);
    return c.json(me, 200);
  })
  .openapi(logoutRoute, async (c) => {
    await logout(control(c.env).db, recorder(c), c.var.principal.sessionId ?? "");
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(meRoute, async (c) => {
    return c.json(await describeSession(control(c.env).db, c.var.principal.sessionId ?? ""), 200);
  })
  .openapi(acceptRoute, async (c) => {
    const { success } = await c.env.SIGNUP_LIMITER.limit({ key: clientIp(c) });
    if (!success) throw new RateLimitedError();
    const { token, me } = await acceptInvitation(control(c.env).db, auditFor(c), c.req.valid("json"));
    writeSessionCookie(c, token);
    return c.json(me, 201);
  });
