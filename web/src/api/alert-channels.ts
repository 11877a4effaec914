// Alert channels: where alerts are sent (Slack, PagerDuty, Google Chat, a signed webhook), with
// each channel's last delivery status, a test button and its recent deliveries.
import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type {
  AlertChannelCreate,
  AlertChannelCreated,
  AlertChannelPatch,
  AlertChannel as AlertChannelSchema,
  AlertDelivery as AlertDeliverySchema,
  ChannelKind as ChannelKindSchema,
} from "../../../worker/alerts/channels/schemas";
import type { Severity as SeveritySchema } from "../../../worker/alerts/schemas";
import { api, done, ok } from "./client";
import { formText } from "./form";

export type AlertChannel = z.output<typeof AlertChannelSchema>;
export type NewAlertChannel = z.output<typeof AlertChannelCreated>;
export type AlertDelivery = z.output<typeof AlertDeliverySchema>;
export type ChannelKind = z.output<typeof ChannelKindSchema>;
export type Severity = z.output<typeof SeveritySchema>;

const channels = api.alerts.channels;
const channel = channels[":id"];
const one = (id: string) => ({ param: { id } });

export const channelKinds = {
  slack: "Slack (incoming webhook)",
  pagerduty: "PagerDuty (Events API v2)",
  google_chat: "Google Chat (space webhook)",
  webhook: "Webhook (signed JSON)",
} satisfies Record<ChannelKind, string>;

export const severities = {
  info: "Info and above",
  warning: "Warning and above",
  critical: "Critical only",
} satisfies Record<Severity, string>;
const isSeverity = (v: string): v is Severity => Object.hasOwn(severities, v);

export const listAlertChannels = query(() => ok(channels.$get()), "alert-channels");

export const listAlertDeliveries = query(
  (id: string) => ok(channel.deliveries.$get(one(id))),
  "alert-channel-deliveries",
);

function createBody(form: FormData): z.input<typeof AlertChannelCreate> {
  const kind = formText(form, "kind");
  const severity = formText(form, "min_severity");
  const common = { name: formText(form, "name"), min_severity: isSeverity(severity) ? severity : "warning" };
  const url = formText(form, "url").trim();
  if (kind === "pagerduty") {
    return { kind, ...common, routing_key: formText(form, "routing_key"), ...(url ? { url } : {}) };
  }
  if (kind === "google_chat" || kind === "webhook") return { kind, ...common, url };
  return { kind: "slack", ...common, url };
}

export const createAlertChannel = action(async (form: FormData) => {
  const created = await ok(channels.$post({ json: createBody(form) }));
  return json(created, { revalidate: listAlertChannels.key });
}, "alert-channel-create");

export const setAlertChannelEnabled = action(async (id: string, enabled: boolean) => {
  const body: z.input<typeof AlertChannelPatch> = { enabled };
  const updated = await ok(channel.$patch({ ...one(id), json: body }));
  return json(updated, { revalidate: listAlertChannels.key });
}, "alert-channel-toggle");

export const testAlertChannel = action(async (id: string) => {
  const result = await ok(channel.test.$post(one(id)));
  return json(result, { revalidate: [listAlertChannels.key, listAlertDeliveries.keyFor(id)] });
}, "alert-channel-test");

export const deleteAlertChannel = action(async (id: string) => {
  await done(channel.$delete(one(id)));
  return json(null, { revalidate: listAlertChannels.key });
}, "alert-channel-delete");
