import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

const HEADER = "X-Request-Id";
const CLIENT_ID = /^[\w.:=/+-]{1,128}$/;

/**
 * Our request id is always ours (it names the request in logs and on AuditTrail's own audit
 * events); a client's X-Request-Id, if well-formed, is kept apart as `clientRequestId`.
 */
export const assignRequestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = crypto.randomUUID();
  c.set("requestId", id);
  const sent = c.req.header(HEADER);
  c.set("clientRequestId", sent && CLIENT_ID.test(sent) ? sent : undefined);
  c.header(HEADER, id);
  await next();
});
