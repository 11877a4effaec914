// SIEM streaming: endpoints that receive every audit event, in order, signed with an HMAC secret
// that the server shows once (on create and on rotation).
import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type {
  SiemEndpointCreate,
  SiemEndpointPatch,
  SiemEndpoint as SiemEndpointSchema,
  SiemEndpointWithSecret,
  SiemFormat as SiemFormatSchema,
  SiemSecret,
  SiemTestResult,
} from "../../../worker/audit/siem/schemas";
import { api, done, ok } from "./client";
import { formText } from "./form";

export type SiemEndpoint = z.output<typeof SiemEndpointSchema>;
export type SiemFormat = z.output<typeof SiemFormatSchema>;
export type NewSiemEndpoint = z.output<typeof SiemEndpointWithSecret>;
export type RotatedSecret = z.output<typeof SiemSecret>;
export type SiemTest = z.output<typeof SiemTestResult>;

const endpoints = api.audit["siem-endpoints"];
const endpoint = endpoints[":id"];
const one = (id: string) => ({ param: { id } });

export const siemFormats = {
  ocsf: "OCSF 1.8 (API Activity)",
  native: "Native (events as the API returns them)",
} satisfies Record<SiemFormat, string>;
const isFormat = (v: string): v is SiemFormat => Object.hasOwn(siemFormats, v);

export const listSiemEndpoints = query(() => ok(endpoints.$get()), "siem-endpoints");

export const createSiemEndpoint = action(async (form: FormData) => {
  const format = formText(form, "format");
  const start = formText(form, "start");
  const body: z.input<typeof SiemEndpointCreate> = {
    name: formText(form, "name"),
    url: formText(form, "url"),
    format: isFormat(format) ? format : "ocsf",
    start: start === "beginning" ? "beginning" : "now",
  };
  const created = await ok(endpoints.$post({ json: body }));
  return json(created, { revalidate: listSiemEndpoints.key });
}, "siem-create");

export const setSiemEnabled = action(async (id: string, enabled: boolean) => {
  const body: z.input<typeof SiemEndpointPatch> = { enabled };
  const updated = await ok(endpoint.$patch({ ...one(id), json: body }));
  return json(updated, { revalidate: listSiemEndpoints.key });
}, "siem-toggle");

export const rotateSiemSecret = action(async (id: string) => {
  const rotated = await ok(endpoint["rotate-secret"].$post(one(id)));
  return json(rotated, { revalidate: listSiemEndpoints.key });
}, "siem-rotate");

export const testSiemEndpoint = action(async (id: string) => {
  const result = await ok(endpoint.test.$post(one(id)));
  return json(result, { revalidate: listSiemEndpoints.key });
}, "siem-test");

export const deleteSiemEndpoint = action(async (id: string) => {
  await done(endpoint.$delete(one(id)));
  return json(null, { revalidate: listSiemEndpoints.key });
}, "siem-delete");
