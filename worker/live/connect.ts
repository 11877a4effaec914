import type { Principal } from "../env";
import { ForbiddenError } from "../lib/errors";
import type { LiveFrames } from "./protocol";
import { tenantHub } from "./publish";
import { connectHeaders } from "./scope";

export function isWebSocketUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * Browsers send the session cookie with a cross-site WebSocket handshake too, and the same-origin
 * policy does not apply to WebSockets, so a cookie socket must come from our own pages.
 */
export function assertSameOrigin(request: Request, principal: Principal): void {
  if (principal.via !== "session") return;
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin) {
    throw new ForbiddenError("Cross-origin WebSocket refused");
  }
}

/** How the client asked to connect: `since` and `frames` as the route validated them. */
export type ConnectOptions = { since: number | null; frames: LiveFrames };

/** Hands the upgrade to the tenant's hub in a request built here: no client header reaches it. */
export async function connectToHub(
  env: Env,
  principal: Principal,
  traceId: string | null,
  options: ConnectOptions,
): Promise<Response> {
  const connect = { userId: principal.userId, role: principal.role, traceId, ...options };
  const res = await tenantHub(env, principal.tenant.id).fetch("https://tenant-hub.internal/connect", {
    headers: connectHeaders(connect),
  });
  if (!res.webSocket) throw new Error(`tenant hub refused the socket: HTTP ${res.status}`);
  // A fresh response: the hub's headers are immutable and the app's middleware still adds some.
  return new Response(null, { status: 101, webSocket: res.webSocket });
}
