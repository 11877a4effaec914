import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type { AcceptInvitationBody, LoginBody, Me, SignupBody } from "../../../worker/auth/schemas";
import { ApiError, api, done, ok, setCsrfToken } from "./client";
import { formText } from "./form";

export type Session = Me;

/** The signed-in user and tenant, or null when signed out. */
export const getSession = query(async (): Promise<Session | null> => {
  try {
    const me = await ok(api.auth.me.$get());
    setCsrfToken(me.csrf_token);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(undefined);
      return null;
    }
    throw err;
  }
}, "session");

// Signing in from the signed-out page has no tenant data cached, so refreshing the session is enough.
async function signIn(call: Promise<Me>) {
  const me = await call;
  setCsrfToken(me.csrf_token);
  return json(null, { revalidate: getSession.key });
}

export const signUp = action(async (form: FormData) => {
  const body: z.input<typeof SignupBody> = {
    tenant_name: formText(form, "tenant_name"),
    email: formText(form, "email"),
    password: formText(form, "password"),
  };
  return signIn(ok(api.auth.signup.$post({ json: body })));
}, "sign-up");

export const logIn = action(async (form: FormData) => {
  const body: z.input<typeof LoginBody> = {
    email: formText(form, "email"),
    password: formText(form, "password"),
  };
  return signIn(ok(api.auth.login.$post({ json: body })));
}, "log-in");

// Accepting and signing out change who is signed in, possibly with another tenant's data on screen:
// a full page load drops every cached query, past submission (a just-shown key) and the CSRF token.
export const acceptInvitation = action(async (token: string, form: FormData) => {
  const body: z.input<typeof AcceptInvitationBody> = { token, password: formText(form, "password") };
  await ok(api.auth["accept-invitation"].$post({ json: body }));
  window.location.assign("/");
}, "accept-invitation");

export const logOut = action(async () => {
  await done(api.auth.logout.$post());
  window.location.assign("/");
}, "log-out");
