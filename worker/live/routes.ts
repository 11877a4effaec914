import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { UpgradeRequiredError } from "../lib/errors";
import { createRouter, ErrorEnvelope, errors, security } from "../lib/openapi";
import { assertSameOrigin, connectToHub, isWebSocketUpgrade } from "./connect";
import { LiveFrames, LiveMessage } from "./protocol";
import { assertTraceVisible } from "./queries";

const LiveQuery = z.object({
  since: z.coerce
    .number()
    .int()
    .nonnegative()
    .optional()
    .openapi({ description: "Last `seq` the client saw: missed events are replayed first" }),
  frames: LiveFrames.default("json").openapi({
    description:
      "`json` (default): every text frame is one `LiveMessage`, read with `JSON.parse`. `ndjson`: a frame holds one or more messages, one JSON object per line (split on `\\n`), typically the events of one ingest batch together; for high-volume consumers, which then handle fewer frames.",
  }),
});

const TraceParam = z.object({
  traceId: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "traceId", in: "path" } }),
});

const socketResponses = {
  101: {
    description:
      "Switching Protocols. Every text frame is one `LiveMessage` as JSON; with `frames=ndjson`, one or more, one per line.",
  },
  ...errors(400, 401, 403),
  426: {
    description: "Not a WebSocket upgrade request",
    content: { "application/json": { schema: ErrorEnvelope } },
  },
};

const base = {
  method: "get" as const,
  tags: ["live"],
  security: security.either,
  middleware: [requireAuth({ scope: "read" })],
};

const live = createRoute({
  ...base,
  path: "/ws/live",
  summary: "Live feed of the tenant (WebSocket)",
  description:
    "Every trace and span event of the tenant as it is stored; a viewer gets only traces they sent. API keys need the `read` scope; cookie sockets must come from this origin.",
  request: { query: LiveQuery },
  responses: socketResponses,
});

const traceFeed = createRoute({
  ...base,
  path: "/ws/traces/{traceId}",
  summary: "Live feed of one trace (WebSocket)",
  request: { params: TraceParam, query: LiveQuery },
  responses: { ...socketResponses, ...errors(404) },
});

const connectOptions = (q: z.output<typeof LiveQuery>) => ({ since: q.since ?? null, frames: q.frames });

function requireUpgrade(req: Request) {
  if (!isWebSocketUpgrade(req)) throw new UpgradeRequiredError("websocket", "Connect with a WebSocket");
}

export const liveRoutes = createRouter()
  .openapi(live, async (c) => {
    requireUpgrade(c.req.raw);
    assertSameOrigin(c.req.raw, c.var.principal);
    return connectToHub(c.env, c.var.principal, null, connectOptions(c.req.valid("query")));
  })
  .openapi(traceFeed, async (c) => {
    requireUpgrade(c.req.raw);
    const p = c.var.principal;
    assertSameOrigin(c.req.raw, p);
    const { traceId } = c.req.valid("param");
    await assertTraceVisible(c.var.tenant, traceId);
    return connectToHub(c.env, p, traceId, connectOptions(c.req.valid("query")));
  });

liveRoutes.openAPIRegistry.register("LiveMessage", LiveMessage);
