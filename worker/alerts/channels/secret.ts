/**
 * A channel's credentials (Slack and Google Chat webhook URLs carry their token in the path, the
 * PagerDuty routing key, a webhook's URL and signing secret) sealed as one JSON value by
 * lib/secret-box.ts under the salt `audittrail/alert-channel`, with the channel id in the AAD.
 */
import { randomToken } from "../../lib/ids";
import { openSecret, type SecretPurpose, sealSecret } from "../../lib/secret-box";

const CHANNEL_SECRET: SecretPurpose = {
  salt: "audittrail/alert-channel",
  what: "alert channel credentials",
};

/** `url` is where the POST goes; `routing_key` for PagerDuty, `signing_secret` for webhooks. */
export type ChannelSecret = { url: string; routing_key?: string; signing_secret?: string };

export function newSigningSecret(): string {
  return `whsec_${randomToken(32)}`;
}

export function sealChannelSecret(env: Env, tenantId: string, channelId: string, secret: ChannelSecret) {
  return sealSecret(env, CHANNEL_SECRET, tenantId, channelId, JSON.stringify(secret));
}

export async function openChannelSecret(
  env: Env,
  tenantId: string,
  channelId: string,
  stored: string,
): Promise<ChannelSecret> {
  return JSON.parse(await openSecret(env, CHANNEL_SECRET, tenantId, channelId, stored)) as ChannelSecret;
}

/** What the API may show of a target: its host. */
export function targetHint(url: string): string {
  return new URL(url).host;
}
