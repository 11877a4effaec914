/**
 * SIEM signing secrets: shown once, stored AES-256-GCM encrypted by lib/secret-box.ts under the
 * salt `audittrail/siem-secret` (unchanged since SIEM shipped, so existing ciphertexts open), with
 * the endpoint id in the AAD.
 */
import { randomToken } from "../../lib/ids";
import { openSecret, type SecretPurpose, sealSecret } from "../../lib/secret-box";

export { SecretsKeyMissingError, signatureHeader } from "../../lib/secret-box";

const SIEM_SECRET: SecretPurpose = { salt: "audittrail/siem-secret", what: "SIEM signing secrets" };

export function newSigningSecret(): string {
  return `whsec_${randomToken(32)}`;
}

export function encryptSecret(
  env: Env,
  tenantId: string,
  endpointId: string,
  secret: string,
): Promise<string> {
  return sealSecret(env, SIEM_SECRET, tenantId, endpointId, secret);
}

export function decryptSecret(
  env: Env,
  tenantId: string,
  endpointId: string,
  stored: string,
): Promise<string> {
  return openSecret(env, SIEM_SECRET, tenantId, endpointId, stored);
}
