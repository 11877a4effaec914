import { allowPrivateOutbound, checkOutboundUrl } from "../../lib/outbound-url";
import type { Outbound } from "./formats";

export const TIMEOUT_MS = 10_000;

export type SendResult = { ok: boolean; status: number | null; error: string | null };

const done = (ok: boolean, status: number | null, error: string | null): SendResult => ({
  ok,
  status,
  error: error === null ? null : error.slice(0, 500),
});

/**
 * One POST. The URL is checked again (the guard may have tightened since it was saved), and
 * redirects are never followed: one could point at a private address.
 */
export async function send(env: Env, out: Outbound, timeoutMs: number = TIMEOUT_MS): Promise<SendResult> {
  const check = checkOutboundUrl(out.url, allowPrivateOutbound(env));
  if (!check.ok) return done(false, null, `URL refused: ${check.reason}`);
  try {
    const res = await fetch(check.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: out.headers,
      body: out.body,
    });
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel();
      return done(true, res.status, null);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      return done(
        false,
        res.status,
        `HTTP ${res.status} redirect refused: deliveries do not follow redirects`,
      );
    }
    const text = (await res.text()).trim().slice(0, 200);
    return done(false, res.status, `HTTP ${res.status}${text ? `: ${text}` : ""}`);
  } catch (err) {
    const e = err as Error | undefined;
    if (e?.name === "TimeoutError" || e?.name === "AbortError") {
      return done(false, null, `no response within ${timeoutMs / 1000} s`);
    }
    return done(false, null, `network error: ${e?.message ?? String(err)}`);
  }
}
