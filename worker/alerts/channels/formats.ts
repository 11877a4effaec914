/**
 * What each channel kind receives for one notice, in the receiver's own wire format:
 *  - Slack incoming webhook: a message with one legacy attachment (colour bar, title linking to
 *    the dashboard, fields, an "Open dashboard" link button);
 *  - PagerDuty Events API v2: `trigger` with a payload, `resolve` with the same `dedup_key`;
 *  - Google Chat incoming webhook: a `cardsV2` card (header, fields, an "Open dashboard" button);
 *  - generic webhook: our own JSON, HMAC-SHA256 signed like SIEM deliveries.
 * Every link is absolute: APP_URL joined with the event's dashboard path.
 */
import { signatureHeader } from "../../lib/secret-box";
import type { AlertEvent, AlertNotice } from "../schemas";
import type { ChannelKind } from "./schemas";
import type { ChannelSecret } from "./secret";

export const USER_AGENT = "AuditTrail-Alerts/1";

export type Outbound = { url: string; body: string; headers: Record<string, string> };

/** Who the request is for: the channel, and the delivery it belongs to (stable across retries). */
export type Envelope = { channelId: string; deliveryId: string; appUrl: string };

const COLOURS = { critical: "#d92d20", warning: "#f79009", info: "#2e90fa", resolved: "#12b76a" } as const;

export function dashboardUrl(appUrl: string, link: string): string {
  const base = appUrl.replace(/\/+$/, "");
  return `${base}${link.startsWith("/") ? link : `/${link}`}`;
}

const resolved = (n: AlertNotice) => n.action === "resolve";
const capabilityText = (e: AlertEvent) => e.capability ?? "all capabilities";

export function deltaText(e: AlertEvent): string {
  if (e.delta_pct === null) return "n/a";
  const sign = e.delta_pct > 0 ? "+" : "";
  return `${sign}${e.delta_pct.toFixed(1)}%`;
}

const windowText = (e: AlertEvent) => `${e.window} (${e.window_start} – ${e.window_end})`;
const detectorText = (e: AlertEvent) => e.detector.replaceAll("_", " ");

export function titleOf(n: AlertNotice): string {
  const e = n.event;
  const label = resolved(n) ? "RESOLVED" : e.severity.toUpperCase();
  return `[${label}] ${detectorText(e)}: ${capabilityText(e)}`;
}

/** The facts every format shows, in one order. */
function facts(e: AlertEvent): [string, string][] {
  return [
    ["Capability", capabilityText(e)],
    ["Change", deltaText(e)],
    ["Window", windowText(e)],
    ["Severity", e.severity],
    ["Observed", String(e.observed)],
    ["Expected", e.expected === null ? "n/a" : String(e.expected)],
  ];
}

function slack(n: AlertNotice, link: string) {
  const e = n.event;
  const title = titleOf(n);
  return {
    text: `${title}: ${e.summary}`,
    attachments: [
      {
        fallback: `${title}: ${e.summary} ${link}`,
        color: resolved(n) ? COLOURS.resolved : COLOURS[e.severity],
        title,
        title_link: link,
        text: e.summary,
        fields: facts(e).map(([t, value]) => ({ title: t, value, short: t !== "Window" })),
        actions: [{ type: "button", text: "Open dashboard", url: link }],
        footer: `AuditTrail · ${n.reason}`,
        ts: Math.floor(Date.parse(e.updated_at) / 1000),
      },
    ],
  };
}

function pagerduty(n: AlertNotice, link: string, routingKey: string) {
  const e = n.event;
  const dedupKey = e.dedup_key.slice(0, 255);
  if (resolved(n)) return { routing_key: routingKey, event_action: "resolve", dedup_key: dedupKey };
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: {
      summary: `${titleOf(n)}: ${e.summary}`.slice(0, 1024),
      source: e.capability ?? "audittrail",
      severity: e.severity,
      timestamp: e.updated_at,
      component: e.capability ?? undefined,
      group: "audittrail",
      class: e.detector,
      custom_details: {
        window: e.window,
        window_start: e.window_start,
        window_end: e.window_end,
        observed: e.observed,
        expected: e.expected,
        delta_pct: e.delta_pct,
        reason: n.reason,
        event_id: e.id,
      },
    },
    client: "AuditTrail",
    client_url: link,
    links: [{ href: link, text: "Open dashboard" }],
  };
}

function googleChat(n: AlertNotice, link: string) {
  const e = n.event;
  const title = titleOf(n);
  return {
    text: `${title}: ${e.summary}`,
    cardsV2: [
      {
        cardId: `alert-${e.id}`.slice(0, 64),
        card: {
          header: { title, subtitle: `${e.severity} · ${detectorText(e)} · ${n.reason}` },
          sections: [
            {
              widgets: [
                { textParagraph: { text: e.summary } },
                ...facts(e).map(([topLabel, text]) => ({ decoratedText: { topLabel, text } })),
                {
                  buttonList: {
                    buttons: [{ text: "Open dashboard", onClick: { openLink: { url: link } } }],
                  },
                },
              ],
            },
          ],
        },
      },
    ],
  };
}

function webhook(n: AlertNotice, link: string, env: Envelope) {
  return {
    type: `alert.${n.action}`,
    reason: n.reason,
    notice_key: n.key,
    delivery_id: env.deliveryId,
    channel_id: env.channelId,
    dashboard_url: link,
    event: n.event,
  };
}

/** The request that tells this channel of `notice`. */
export async function render(
  kind: ChannelKind,
  secret: ChannelSecret,
  notice: AlertNotice,
  env: Envelope,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<Outbound> {
  const link = dashboardUrl(env.appUrl, notice.event.link);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": USER_AGENT };
  if (kind === "slack") return { url: secret.url, headers, body: JSON.stringify(slack(notice, link)) };
  if (kind === "google_chat") {
    headers["content-type"] = "application/json; charset=UTF-8";
    return { url: secret.url, headers, body: JSON.stringify(googleChat(notice, link)) };
  }
  if (kind === "pagerduty") {
    const body = JSON.stringify(pagerduty(notice, link, secret.routing_key ?? ""));
    return { url: secret.url, headers, body };
  }
  const body = JSON.stringify(webhook(notice, link, env));
  headers["x-audittrail-signature"] = await signatureHeader(secret.signing_secret ?? "", body, nowSeconds);
  headers["x-audittrail-delivery"] = env.deliveryId;
  headers["x-audittrail-channel"] = env.channelId;
  return { url: secret.url, headers, body };
}
