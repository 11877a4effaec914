import { z } from "@hono/zod-openapi";
import { MAX_URL_LENGTH } from "../../lib/outbound-url";
import { Severity } from "../schemas";

export const ChannelKind = z
  .enum(["slack", "pagerduty", "google_chat", "webhook"])
  .openapi("AlertChannelKind");
export type ChannelKind = z.output<typeof ChannelKind>;

const name = z.string().trim().min(1).max(100);
const url = z.string().trim().min(1).max(MAX_URL_LENGTH);
/** PagerDuty integration keys are 32 characters; leave room, refuse anything odd. */
const routingKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{20,64}$/, "a PagerDuty integration key (20–64 letters, digits, - or _)");
const minSeverity = Severity.default("warning").openapi({
  description: "The lowest severity this channel is told of (info < warning < critical)",
});
const common = { name, min_severity: minSeverity, enabled: z.boolean().default(true) };

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

export const AlertChannelCreate = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("slack"),
        ...common,
        url: url.openapi({ description: "Slack incoming webhook URL (a credential: stored encrypted)" }),
      })
      .strict(),
    z
      .object({
        kind: z.literal("google_chat"),
        ...common,
        url: url.openapi({ description: "Google Chat space webhook URL (a credential: stored encrypted)" }),
      })
      .strict(),
    z
      .object({
        kind: z.literal("pagerduty"),
        ...common,
        routing_key: routingKey.openapi({ description: "Events API v2 integration key (stored encrypted)" }),
        url: url.optional().openapi({ description: `Events API endpoint; default ${PAGERDUTY_EVENTS_URL}` }),
      })
      .strict(),
    z
      .object({
        kind: z.literal("webhook"),
        ...common,
        url: url.openapi({ description: "Where signed JSON is POSTed (stored encrypted)" }),
      })
      .strict(),
  ])
  .openapi("AlertChannelCreate");
export type AlertChannelCreate = z.output<typeof AlertChannelCreate>;

export const AlertChannelPatch = z
  .object({
    name: name.optional(),
    min_severity: Severity.optional(),
    enabled: z.boolean().optional(),
    url: url.optional(),
    routing_key: routingKey.optional().openapi({ description: "PagerDuty channels only" }),
  })
  .strict()
  .openapi("AlertChannelPatch");
export type AlertChannelPatch = z.output<typeof AlertChannelPatch>;

const time = z.iso.datetime().nullable();

export const AlertChannel = z
  .object({
    id: z.string(),
    kind: ChannelKind,
    name: z.string(),
    target_hint: z.string().openapi({ description: "The target's host; the URL and keys are never shown" }),
    min_severity: Severity,
    enabled: z.boolean(),
    last_status: z.number().int().nullable().openapi({ description: "HTTP status of the last attempt" }),
    last_error: z.string().nullable(),
    last_attempt_at: time,
    last_success_at: time,
    created_at: z.iso.datetime(),
    created_by: z.string(),
  })
  .openapi("AlertChannel");
export type AlertChannel = z.output<typeof AlertChannel>;

export const AlertChannelCreated = AlertChannel.extend({
  signing_secret: z
    .string()
    .optional()
    .openapi({ description: "Webhook channels: the HMAC signing secret (`whsec_…`), shown only now" }),
}).openapi("AlertChannelCreated");
export type AlertChannelCreated = z.output<typeof AlertChannelCreated>;

export const AlertChannelList = z.object({ data: z.array(AlertChannel) }).openapi("AlertChannelList");

export const AlertChannelTestResult = z
  .object({
    ok: z.boolean(),
    status: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .openapi("AlertChannelTestResult");

export const AlertDelivery = z
  .object({
    id: z.string(),
    event_id: z.string(),
    notice_key: z.string(),
    action: z.enum(["trigger", "resolve"]),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    next_attempt_at: time,
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.iso.datetime(),
    delivered_at: time,
  })
  .openapi("AlertDelivery");
export type AlertDelivery = z.output<typeof AlertDelivery>;

export const AlertDeliveryList = z.object({ data: z.array(AlertDelivery) }).openapi("AlertDeliveryList");

export const AlertChannelIdParam = z.object({ id: z.string().min(1).max(100) });

/** Queue message (`audittrail-alerts`): attempt this delivery if it is still pending and due. */
export const AlertDeliveryMessage = z.object({
  tenant_id: z.string().min(1),
  delivery_id: z.string().min(1),
});
export type AlertDeliveryMessage = z.output<typeof AlertDeliveryMessage>;
