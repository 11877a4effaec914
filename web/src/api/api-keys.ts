import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type { ApiKey, CreateApiKeyBody, CreatedApiKey, ScopeEnum } from "../../../worker/api-keys/schemas";
import { api, ok } from "./client";
import { formText } from "./form";

export type { ApiKey };
export type Scope = z.output<typeof ScopeEnum>;
export type NewApiKey = z.output<typeof CreatedApiKey>;

/** What each scope lets a key do; typed so a scope added on the server must be described here. */
export const scopeDescriptions = {
  ingest: "Send traces and spans",
  read: "Read traces back through the API",
  "audit:write": "Record audit events from your own services and assistants",
} satisfies Record<Scope, string>;

const isScope = (v: unknown): v is Scope => typeof v === "string" && Object.hasOwn(scopeDescriptions, v);

export const listApiKeys = query(() => ok(api["api-keys"].$get()), "api-keys");

export const createApiKey = action(async (form: FormData) => {
  const body: z.input<typeof CreateApiKeyBody> = {
    name: formText(form, "name"),
    scopes: form.getAll("scopes").filter(isScope),
  };
  const created = await ok(api["api-keys"].$post({ json: body }));
  return json(created, { revalidate: listApiKeys.key });
}, "create-api-key");

export const revokeApiKey = action(async (id: string) => {
  await ok(api["api-keys"][":id"].$delete({ param: { id } }));
  return json(null, { revalidate: listApiKeys.key });
}, "revoke-api-key");
