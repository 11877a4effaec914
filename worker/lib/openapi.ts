import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { ValidationError } from "./errors";

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_error" }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      request_id: z.string().optional(),
    }),
  })
  .openapi("Error");

const errorText: Record<number, string> = {
  400: "Invalid input; `details` names each bad field",
  401: "Missing, invalid or revoked credentials",
  403: "Authenticated but not allowed (role, scope or CSRF)",
  404: "Not found in your tenant",
  409: "Conflicts with existing state",
  413: "Body too large",
  415: "Unsupported content type",
  429: "Rate limited",
};

/** OpenAPI error responses for a route, all with the one error envelope. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: errorText[s] ?? "Error", content: { "application/json": { schema: ErrorEnvelope } } },
    ]),
  );
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { "application/json": { schema } } } };
}

export function zodIssuesToDetails(issues: readonly z.core.$ZodIssue[]) {
  return issues.map((i) => ({
    path: i.path.map(String).join(".") || "(root)",
    message: i.message,
  }));
}

const INPUT_NAMES: Record<string, string> = {
  json: "highlighted fields",
  query: "query parameters",
  param: "path parameters",
};

/**
 * A body the route reads itself (lib/body has already read and size/depth-checked it; the handler
 * parses it, e.g. to keep unknown fields or to accept YAML): documented under `name` as a
 * component, and passed to the route as a reference so the OpenAPI layer does not validate it.
 */
export function documentedBody(
  router: { openAPIRegistry: { register(name: string, schema: z.ZodType): unknown } },
  name: string,
  schema: z.ZodType,
) {
  router.openAPIRegistry.register(name, schema);
  return { $ref: `#/components/schemas/${name}` };
}

/** A feature router whose validation failures become 400s with field paths. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const what = INPUT_NAMES[result.target] ?? result.target;
        throw new ValidationError(`Please correct the ${what}`, zodIssuesToDetails(result.error.issues));
      }
    },
  });
}

type SecurityRequirement = Record<string, string[]>[];

export const security: Record<"session" | "apiKey" | "either", SecurityRequirement> = {
  session: [{ cookieAuth: [] }],
  apiKey: [{ bearerAuth: [] }],
  either: [{ cookieAuth: [] }, { bearerAuth: [] }],
};
