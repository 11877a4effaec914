/**
 * One POST to a user-supplied URL, the way every delivery sends (SIEM, alert channels): the URL
 * is checked by the outbound guard again (it may have tightened since the URL was saved), a
 * redirect is never followed (one could point at a private address), and the answer is reduced
 * to ok / status / a short error a person can read.
 */
import { allowPrivateOutbound, checkOutboundUrl } from "./outbound-url";

export type PostOutcome = { ok: boolean; status: number | null; error: string | null };

const outcome = (ok: boolean, status: number | null, error: string | null): PostOutcome => ({
  ok,
  status,
  error: error === null ? null : error.slice(0, 500),
});

export async function postGuarded(
  env: Env,
  url: string,
  request: { headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<PostOutcome> {
  const check = checkOutboundUrl(url, allowPrivateOutbound(env));
  if (!check.ok) return outcome(false, null, `URL refused: ${check.reason}`);
  try {
    const res = await fetch(check.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: request.headers,
      body: request.body,
    });
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel();
      return outcome(true, res.status, null);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const to = res.headers.get("location") ?? "(no location)";
      return outcome(
        false,
        res.status,
        `HTTP ${res.status} redirect to ${to} refused: deliveries do not follow redirects`,
      );
    }
    const text = (await res.text()).trim().slice(0, 200);
    return outcome(false, res.status, `HTTP ${res.status}${text ? `: ${text}` : ""}`);
  } catch (err) {
    const e = err as Error | undefined;
    if (e?.name === "TimeoutError" || e?.name === "AbortError") {
      return outcome(false, null, `no response within ${timeoutMs / 1000} s`);
    }
    return outcome(false, null, `network error: ${e?.message ?? String(err)}`);
  }
}
