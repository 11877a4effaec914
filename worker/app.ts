import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { agentRoutes } from "./agents/routes";
import { alertChannelRoutes } from "./alerts/channels/routes";
import { alertRoutes } from "./alerts/routes";
import { analyticsRoutes } from "./analytics/routes";
import { apiKeyRoutes } from "./api-keys/routes";
import { approvalRoutes } from "./approvals/routes";
import { auditArchiveRoutes } from "./audit/archive/routes";
import { auditExportRoutes } from "./audit/export/routes";
import { auditProofRoutes } from "./audit/proofs/routes";
import { auditRoutes } from "./audit/routes";
import { siemRoutes } from "./audit/siem/routes";
import { authRoutes } from "./auth/routes";
import { docsPage } from "./docs/page";
import type { AppEnv } from "./env";
import { governorRoutes } from "./governor/routes";
import { OTLP_JSON_MAX_DEPTH, OTLP_PATH, otlpRoutes } from "./ingest/otlp/routes";
import { ingestRoutes } from "./ingest/routes";
import { readRequestBody } from "./lib/body";
import { DomainError } from "./lib/errors";
import { assignRequestId } from "./lib/request-id";
import { liveRoutes } from "./live/routes";
import { traceRoutes } from "./traces/routes";
import { userRoutes } from "./users/routes";

function errorBody(code: string, message: string, requestId: string, details?: unknown) {
  return { error: { code, message, ...(details ? { details } : {}), request_id: requestId } };
}

/**
 * Every route, chained so the result's type describes the whole API (`AppType`): the web app's
 * client is checked against it.
 */
function routes(app: OpenAPIHono<AppEnv>) {
  return app
    .get("/healthz", (c) => c.json({ ok: true }, 200))
    .route("/api/v1/auth", authRoutes)
    .route("/api/v1/users", userRoutes)
    .route("/api/v1/api-keys", apiKeyRoutes)
    .route("/api/v1", ingestRoutes)
    .route("/api/v1", traceRoutes)
    .route("/api/v1", agentRoutes)
    .route("/api/v1", governorRoutes)
    .route("/api/v1", analyticsRoutes)
    .route("/api/v1", alertRoutes)
    .route("/api/v1", auditRoutes)
    .route("/api/v1", auditProofRoutes)
    .route("/api/v1", siemRoutes)
    .route("/api/v1", auditExportRoutes)
    .route("/api/v1", auditArchiveRoutes)
    .route("/api/v1", approvalRoutes)
    .route("/api/v1", alertChannelRoutes)
    .route("/", otlpRoutes)
    .route("/", liveRoutes);
}

export type AppType = ReturnType<typeof routes>;

export function buildApp() {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", assignRequestId);
  app.use("*", secureHeaders({ crossOriginResourcePolicy: false }));
  app.use("*", readRequestBody({ [OTLP_PATH]: OTLP_JSON_MAX_DEPTH }));

  app.onError((err, c) => {
    const id = c.var.requestId ?? "";
    if (err instanceof DomainError) {
      return c.json(errorBody(err.code, err.message, id, err.details), err.status, err.headers);
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      const code = status === 400 ? "bad_request" : "http_error";
      return c.json(errorBody(code, err.message || "Request failed", id), status);
    }
    console.error("unhandled error", id, err);
    return c.json(errorBody("internal_error", "Something went wrong on our side", id), 500);
  });
  app.notFound((c) =>
    c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}`, c.var.requestId ?? ""), 404),
  );

  routes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "cookieAuth", {
    type: "apiKey",
    in: "cookie",
    name: "at_session",
    description:
      "Session cookie from /api/v1/auth/login (`__Host-at_session` over HTTPS). Mutations also need X-CSRF-Token.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "API key from POST /api/v1/api-keys",
  });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "AuditTrail API",
      version: "1.0.0",
      description: "Audit trail and governance for AI agents.",
    },
  });
  app.get("/api/docs", (c) => c.html(docsPage()));
  return app;
}
