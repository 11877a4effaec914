import { z } from "@hono/zod-openapi";

export const ScopeEnum = z.enum(["ingest", "read", "audit:write"]).openapi("Scope");

export const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "production agents" }),
    scopes: z.array(ScopeEnum).min(1).max(10).default(["ingest"]),
  })
  .openapi("CreateApiKeyBody");

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "First characters of the key, to recognise it" }),
    scopes: z.array(ScopeEnum),
    user_id: z.string(),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().nullable(),
    revoked_at: z.iso.datetime().nullable(),
  })
  .openapi("ApiKey");

export const CreatedApiKey = ApiKey.extend({
  key: z.string().openapi({ description: "The secret key. Shown only in this response." }),
}).openapi("CreatedApiKey");

export const ApiKeyList = z
  .object({ data: z.array(ApiKey), next_cursor: z.string().nullable() })
  .openapi("ApiKeyList");
export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

export type CreateApiKeyBody = z.output<typeof CreateApiKeyBody>;
export type ApiKey = z.output<typeof ApiKey>;
