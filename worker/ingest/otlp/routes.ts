import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireAuth } from "../../auth/middleware";
import type { AppEnv } from "../../env";
import { type RequestBody, requestBody, requireMediaType } from "../../lib/body";
import { ValidationError } from "../../lib/errors";
import { createRouter, errors, security, zodIssuesToDetails } from "../../lib/openapi";
import { ingestBatch, serverTiming } from "../service/ingest";
import {
  decodeExportTraceServiceRequest,
  MAX_ANY_VALUE_DEPTH,
  OtlpDecodeError,
  OtlpJsonRequest,
} from "./decode";
import { mapOtlpToBatch, spanAgents } from "./map";

const PROTOBUF = "application/x-protobuf";
const JSON_TYPE = "application/json";

export const OTLP_PATH = "/v1/traces";

/**
 * OTLP/JSON nests a span attribute's value about ten levels down and spends four levels per
 * nested AnyValue; the AnyValue limit itself is enforced by the OTLP schema.
 */
export const OTLP_JSON_MAX_DEPTH = 16 + 4 * MAX_ANY_VALUE_DEPTH;

const exportTraces = createRoute({
  method: "post",
  path: OTLP_PATH,
  tags: ["ingest"],
  summary: "OpenTelemetry OTLP/HTTP trace export (protobuf or JSON, gzip accepted)",
  description:
    "Maps GenAI semantic conventions (gen_ai.*) and OpenInference attributes onto spans. Spans that cannot be stored are counted in partialSuccess.rejectedSpans.",
  security: security.apiKey,
  middleware: [requireAuth({ scope: "ingest" })],
  request: {
    body: {
      required: true,
      content: {
        [PROTOBUF]: { schema: { type: "string", format: "binary" } },
        [JSON_TYPE]: { schema: { type: "object", description: "ExportTraceServiceRequest (OTLP/JSON)" } },
      },
    },
  },
  responses: {
    200: {
      description: "ExportTraceServiceResponse",
      content: {
        [PROTOBUF]: { schema: { type: "string", format: "binary" } },
        [JSON_TYPE]: {
          schema: z.object({
            partialSuccess: z.object({ rejectedSpans: z.string(), errorMessage: z.string() }).optional(),
          }),
        },
      },
    },
    ...errors(400, 401, 403, 413, 415),
  },
});

function decode(type: string, body: RequestBody) {
  if (type === PROTOBUF) {
    try {
      return decodeExportTraceServiceRequest(body.bytes);
    } catch (err) {
      if (err instanceof OtlpDecodeError)
        throw new ValidationError(`Malformed OTLP protobuf: ${err.message}`);
      throw err;
    }
  }
  const parsed = OtlpJsonRequest.safeParse(body.json);
  if (!parsed.success)
    throw new ValidationError("Invalid OTLP/JSON request", zodIssuesToDetails(parsed.error.issues));
  return parsed.data;
}

function respond(c: Context<AppEnv>, type: string, rejected: number, message: string) {
  if (type === JSON_TYPE) {
    return c.json(
      rejected ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage: message } } : {},
      200,
    );
  }
  const writer = new BinaryWriter();
  if (rejected) writer.tag(1, 2).fork().tag(1, 0).int64(rejected).tag(2, 2).string(message).join();
  return c.body(writer.finish(), 200, { "content-type": PROTOBUF });
}

// The body is protobuf or JSON, read by lib/body and decoded here; documented, not validated, above.
export const otlpRoutes = createRouter().openapi(exportTraces, async (c) => {
  const type = requireMediaType(c.req.raw, [PROTOBUF, JSON_TYPE]);
  const request = decode(type, requestBody(c));
  const { batch, rejected, errors: problems } = mapOtlpToBatch(request);
  if (batch.spans.length + batch.traces.length > 0) {
    const deps = { tenant: c.var.tenant, ctx: c.executionCtx };
    const { sql } = await ingestBatch(deps, batch, spanAgents(request));
    c.header("server-timing", serverTiming(sql));
  }
  return respond(c, type, rejected, problems.join("; "));
});
