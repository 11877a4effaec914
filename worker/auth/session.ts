import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { randomToken } from "../lib/ids";

export const SESSION_TTL_MS = 14 * 24 * 3600_000;
const COOKIE = "at_session";
const SECURE_COOKIE = "__Host-at_session";

/** Cookies are Secure (and `__Host-` prefixed) everywhere but plain-http localhost. */
function isLocalHttp(c: Context): boolean {
  const url = new URL(c.req.url);
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

export function readSessionToken(c: Context): string | undefined {
  return getCookie(c, SECURE_COOKIE) ?? getCookie(c, COOKIE);
}

export function writeSessionCookie(c: Context, token: string): void {
  const secure = !isLocalHttp(c);
  setCookie(c, secure ? SECURE_COOKIE : COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure,
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, COOKIE, { path: "/" });
  deleteCookie(c, SECURE_COOKIE, { path: "/", secure: true });
}

export function newSessionSecrets() {
  return { token: randomToken(32), csrfToken: randomToken(24) };
}
