/**
 * SSRF guard for every URL a tenant gives us to POST to (SIEM endpoints, alert channels), checked
 * when it is saved and again before every delivery. Production (`OUTBOUND_ALLOW_PRIVATE` ≠ "true") accepts only https URLs to public host
 * names or public IP literals. The WHATWG URL parser has already normalized decimal, octal and hex
 * IPv4 forms (`http://2130706433/` → 127.0.0.1) and IPv6 spellings before we look at the host.
 *
 * What this cannot see: a public DNS name that resolves to a private address (Workers have no DNS
 * API before fetch). Cloudflare's egress does not route to private networks, and delivery never
 * follows redirects, so that is the remaining, accepted gap.
 */

export const MAX_URL_LENGTH = 2048;

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export function allowPrivateOutbound(env: { OUTBOUND_ALLOW_PRIVATE?: string }): boolean {
  return env.OUTBOUND_ALLOW_PRIVATE === "true";
}

const BLOCKED_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan"];

/** [network, prefix length] per IPv4 range no delivery may reach (RFC 6890 special-purpose + multicast). */
const BLOCKED_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata lives here)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
];

function v4ToInt(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

function v4Blocked(n: number): string | null {
  for (const [net, bits] of BLOCKED_V4) {
    const base = v4ToInt(net) ?? 0;
    const size = 2 ** (32 - bits);
    if (n >= base && n < base + size) return `${net}/${bits}`;
  }
  return null;
}

/** Eight 16-bit groups of a bracketless IPv6 literal as the URL parser serializes it. */
function v6Groups(ip: string): number[] | null {
  const halves = ip.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => Number.parseInt(g, 16)));
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function v6Blocked(g: number[]): string | null {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h6 = 0, h7 = 0] = g;
  const embeddedV4 = (hi: number, lo: number) => v4Blocked(hi * 65536 + lo);
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the embedded IPv4 address.
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff) {
    const v4 = embeddedV4(h6, h7);
    return v4 ? `IPv4-mapped ${v4}` : null;
  }
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) {
    const v4 = embeddedV4(h6, h7);
    return v4 ? `NAT64 ${v4}` : null;
  }
  if (a === 0x2002) {
    const v4 = embeddedV4(b, c); // 6to4 embeds the IPv4 address in bits 16–47
    return v4 ? `6to4 ${v4}` : null;
  }
  if (a === 0x64 && b === 0xff9b && c === 1) return "64:ff9b:1::/48 (local NAT64)";
  if (a >> 8 === 0) return "::/8 (unspecified, loopback, IPv4-compatible)";
  if (a === 0x100 && b === 0 && c === 0 && d === 0) return "100::/64 (discard)";
  if (a === 0x2001 && b < 0x200) return "2001::/23 (IETF protocol assignments, Teredo)";
  if (a === 0x2001 && b === 0xdb8) return "2001:db8::/32 (documentation)";
  if (a === 0x3fff && b >> 12 === 0) return "3fff::/20 (documentation)";
  if (a >> 9 === 0x7e) return "fc00::/7 (unique local)";
  if (a >> 6 === 0x3fa) return "fe80::/10 (link-local)";
  if (a >> 6 === 0x3fb) return "fec0::/10 (site-local)";
  if (a >> 8 === 0xff) return "ff00::/8 (multicast)";
  return null;
}

/** Why a host is not a public destination, or null when it is. */
export function privateHostReason(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[") && host.endsWith("]")) {
    const groups = v6Groups(host.slice(1, -1));
    if (!groups) return "an IPv6 literal we cannot read";
    const range = v6Blocked(groups);
    return range ? `a non-public IPv6 address (${range})` : null;
  }
  const v4 = v4ToInt(host);
  if (v4 !== null) {
    const range = v4Blocked(v4);
    return range ? `a non-public IPv4 address (${range})` : null;
  }
  if (host === "localhost" || BLOCKED_SUFFIXES.some((s) => host.endsWith(s))) {
    return `a local host name (${host})`;
  }
  if (!host.includes(".")) return `a single-label host name (${host}) that only resolves on private networks`;
  return null;
}

/** Checks an outbound URL; `allowPrivate` (local development and tests) also permits http and private hosts. */
export function checkOutboundUrl(raw: string, allowPrivate: boolean): UrlCheck {
  if (raw.length > MAX_URL_LENGTH)
    return { ok: false, reason: `URL is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return { ok: false, reason: allowPrivate ? "use an http or https URL" : "use an https URL" };
  }
  if (url.username || url.password) {
    return { ok: false, reason: "credentials in the URL are not allowed" };
  }
  if (!allowPrivate) {
    const why = privateHostReason(url.hostname);
    if (why) return { ok: false, reason: `the host is ${why}` };
  }
  url.hash = "";
  return { ok: true, url };
}
