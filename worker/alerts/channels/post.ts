import { type PostOutcome, postGuarded } from "../../lib/outbound-post";
import type { Outbound } from "./formats";

export const TIMEOUT_MS = 10_000;

export type SendResult = PostOutcome;

/** One POST of a formatted notice, through the shared guarded sender. */
export function send(env: Env, out: Outbound, timeoutMs: number = TIMEOUT_MS): Promise<SendResult> {
  return postGuarded(env, out.url, { headers: out.headers, body: out.body }, timeoutMs);
}
