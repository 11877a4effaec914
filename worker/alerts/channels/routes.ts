import { createRoute } from "@hono/zod-openapi";
import { recorder } from "../../audit/recorder";
import { requireAuth } from "../../auth/middleware";
import { createRouter, errors, json, jsonBody, security } from "../../lib/openapi";
import { listChannels, listDeliveries, readChannel } from "./queries";
import {
  AlertChannel,
  AlertChannelCreate,
  AlertChannelCreated,
  AlertChannelIdParam,
  AlertChannelList,
  AlertChannelPatch,
  AlertChannelTestResult,
  AlertDeliveryList,
} from "./schemas";
import { createChannel, deleteChannel, updateChannel } from "./service";
import { testChannel } from "./test-channel";

const tags = ["alerts"];
const admins = {
  security: security.session,
  middleware: [requireAuth({ allowApiKey: false, roles: ["owner", "admin"] })],
};
const path = "/alerts/channels";
const params = { params: AlertChannelIdParam };

const list = createRoute({
  ...admins,
  method: "get",
  path,
  tags,
  summary: "Alert channels with their last delivery status",
  responses: { 200: json(AlertChannelList, "Channels"), ...errors(401, 403) },
});

const create = createRoute({
  ...admins,
  method: "post",
  path,
  tags,
  summary: "Send alerts to Slack, PagerDuty, Google Chat or a signed webhook",
  description:
    "Credentials (webhook URLs, the routing key) are stored encrypted and never shown again; " +
    "`target_hint` shows the host. A webhook channel's signing secret is returned only in this " +
    "response. URLs must be https to a public host. See docs/alerts.md, Channels.",
  request: jsonBody(AlertChannelCreate),
  responses: {
    201: json(AlertChannelCreated, "Created; a webhook's `signing_secret` is shown only now"),
    ...errors(400, 401, 403, 409),
  },
});

const one = createRoute({
  ...admins,
  method: "get",
  path: `${path}/{id}`,
  tags,
  summary: "One alert channel",
  request: params,
  responses: { 200: json(AlertChannel, "The channel"), ...errors(401, 403, 404) },
});

const patch = createRoute({
  ...admins,
  method: "patch",
  path: `${path}/{id}`,
  tags,
  summary: "Rename, re-route, re-target, pause or resume an alert channel",
  request: { ...params, ...jsonBody(AlertChannelPatch) },
  responses: { 200: json(AlertChannel, "Updated"), ...errors(400, 401, 403, 404) },
});

const remove = createRoute({
  ...admins,
  method: "delete",
  path: `${path}/{id}`,
  tags,
  summary: "Delete an alert channel and its delivery history",
  request: params,
  responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404) },
});

const test = createRoute({
  ...admins,
  method: "post",
  path: `${path}/{id}/test`,
  tags,
  summary: "Send a test notice now and report what the channel answered",
  description: "PagerDuty channels get a trigger and its resolve, so no incident stays open.",
  request: params,
  responses: { 200: json(AlertChannelTestResult, "What happened"), ...errors(401, 403, 404) },
});

const deliveries = createRoute({
  ...admins,
  method: "get",
  path: `${path}/{id}/deliveries`,
  tags,
  summary: "The channel's 50 most recent deliveries with status, attempts and last error",
  request: params,
  responses: { 200: json(AlertDeliveryList, "Deliveries, newest first"), ...errors(401, 403, 404) },
});

export const alertChannelRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listChannels(c.var.tenant), 200))
  .openapi(create, async (c) =>
    c.json(await createChannel(recorder(c), c.var.principal, c.req.valid("json")), 201),
  )
  .openapi(one, async (c) => c.json(await readChannel(c.var.tenant, c.req.valid("param").id), 200))
  .openapi(patch, async (c) =>
    c.json(
      await updateChannel(recorder(c), c.var.principal, c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  )
  .openapi(remove, async (c) => {
    await deleteChannel(recorder(c), c.var.principal, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(test, async (c) =>
    c.json(await testChannel(recorder(c), c.var.principal, c.req.valid("param").id), 200),
  )
  .openapi(deliveries, async (c) => c.json(await listDeliveries(c.var.tenant, c.req.valid("param").id), 200));
