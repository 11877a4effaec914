import { z } from "@hono/zod-openapi";
import { seesWholeTenant } from "../auth/visibility";
import type { Role } from "../env";
import { type HubEvent, LiveFrames } from "./protocol";

/**
 * Who a socket belongs to and what it may see. The Worker authenticates the caller and sends these
 * to the hub in headers it builds itself (a fresh request: nothing the client sent is forwarded).
 */
export type SocketScope = { userId: string; role: Role; traceId: string | null };

/** What the hub keeps per socket (its attachment, so it survives hibernation). */
export type HubSocket = SocketScope & { frames: LiveFrames };

export const HUB_HEADERS = {
  user: "x-hub-user",
  role: "x-hub-role",
  trace: "x-hub-trace",
  since: "x-hub-since",
  frames: "x-hub-frames",
} as const;

const ConnectHeaders = z.object({
  userId: z.string().min(1),
  role: z.enum(["owner", "admin", "member", "viewer"]),
  traceId: z.string().min(1).nullable(),
  since: z.coerce.number().int().nonnegative().nullable(),
  frames: LiveFrames,
});

export type Connect = HubSocket & { since: number | null };

export function connectHeaders(connect: Connect): Headers {
  const headers = new Headers({ upgrade: "websocket", [HUB_HEADERS.user]: connect.userId });
  headers.set(HUB_HEADERS.role, connect.role);
  headers.set(HUB_HEADERS.frames, connect.frames);
  if (connect.traceId !== null) headers.set(HUB_HEADERS.trace, connect.traceId);
  if (connect.since !== null) headers.set(HUB_HEADERS.since, String(connect.since));
  return headers;
}

export function parseConnect(headers: Headers): Connect | null {
  const parsed = ConnectHeaders.safeParse({
    userId: headers.get(HUB_HEADERS.user),
    role: headers.get(HUB_HEADERS.role),
    traceId: headers.get(HUB_HEADERS.trace),
    since: headers.get(HUB_HEADERS.since),
    frames: headers.get(HUB_HEADERS.frames),
  });
  return parsed.success ? parsed.data : null;
}

export function scopeName(scope: SocketScope): "tenant" | "own" | "trace" {
  if (scope.traceId !== null) return "trace";
  return seesWholeTenant(scope.role) ? "tenant" : "own";
}

/** Exactly one tag per socket, so the tag lookups of one fan-out never overlap. */
export function socketTag(scope: SocketScope): string {
  if (scope.traceId !== null) return traceTag(scope.traceId);
  return seesWholeTenant(scope.role) ? TENANT_TAG : userTag(scope.userId);
}

export const TENANT_TAG = "tenant";
export const traceTag = (traceId: string) => `trace:${traceId}`;
export const userTag = (userId: string) => `user:${userId}`;

/** The one visibility rule, used for live fan-out and for replay alike. */
export function sees(scope: SocketScope, event: Pick<HubEvent, "traceId" | "ownerUserId">): boolean {
  if (scope.traceId !== null && event.traceId !== scope.traceId) return false;
  return seesWholeTenant(scope.role) || event.ownerUserId === scope.userId;
}
