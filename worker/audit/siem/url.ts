/** SIEM endpoint URLs go through the shared outbound guard (lib/outbound-url.ts). */
export {
  allowPrivateOutbound,
  checkOutboundUrl,
  MAX_URL_LENGTH,
  privateHostReason,
  type UrlCheck,
} from "../../lib/outbound-url";
