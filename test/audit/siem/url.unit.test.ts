import { describe, expect, it } from "vitest";
import { checkOutboundUrl, privateHostReason } from "../../../worker/audit/siem/url";

const refused = (url: string, allowPrivate = false) => {
  const r = checkOutboundUrl(url, allowPrivate);
  return r.ok ? null : r.reason;
};

describe("SIEM URL guard (production: allowPrivate = false)", () => {
  it("accepts https URLs to public hosts and addresses, on any port", () => {
    for (const url of [
      "https://siem.example.com/ingest",
      "https://siem.example.com:8088/services/collector?channel=abc",
      "https://8.8.8.8/in",
      "https://[2606:4700:4700::1111]/in",
      "https://[::ffff:8.8.8.8]/in",
      "https://[2002:808:808::1]/in",
      "https://xn--bcher-kva.example/in",
    ]) {
      expect(refused(url), url).toBeNull();
    }
  });

  it("normalizes what it keeps (no fragment)", () => {
    const r = checkOutboundUrl("https://SIEM.Example.com/a#frag", false);
    expect(r.ok && r.url.href).toBe("https://siem.example.com/a");
  });

  it("refuses other schemes, plain http and credentials", () => {
    expect(refused("http://siem.example.com/in")).toBe("use an https URL");
    expect(refused("ftp://siem.example.com/in")).toBe("use an https URL");
    expect(refused("file:///etc/passwd")).toBe("use an https URL");
    expect(refused("javascript:alert(1)")).toBe("use an https URL");
    expect(refused("https://user:pw@siem.example.com/")).toMatch(/credentials/);
    expect(refused("https://token@siem.example.com/")).toMatch(/credentials/);
    expect(refused("siem.example.com/in")).toBe("not a valid absolute URL");
    expect(refused(`https://siem.example.com/${"x".repeat(2048)}`)).toMatch(/longer than 2048/);
  });

  it("refuses local host names", () => {
    for (const url of [
      "https://localhost/",
      "https://LOCALHOST./",
      "https://api.localhost/",
      "https://printer.local/",
      "https://metadata.google.internal/",
      "https://router.home.arpa/",
      "https://nas.lan/",
      "https://intranet/",
    ]) {
      expect(refused(url), url).toMatch(/local host name|single-label/);
    }
  });

  it("refuses private, loopback, link-local, CGNAT, multicast and reserved IPv4, in every spelling", () => {
    const cases: [string, string][] = [
      ["https://127.0.0.1/", "127.0.0.0/8"],
      ["https://127.1/", "127.0.0.0/8"],
      ["https://2130706433/", "127.0.0.0/8"], // decimal
      ["https://0x7f000001/", "127.0.0.0/8"], // hex
      ["https://0x7f.0.0.1/", "127.0.0.0/8"],
      ["https://0177.0.0.01/", "127.0.0.0/8"], // octal
      ["https://0/", "0.0.0.0/8"],
      ["https://10.0.0.1/", "10.0.0.0/8"],
      ["https://012.0.0.1/", "10.0.0.0/8"],
      ["https://172.16.5.4/", "172.16.0.0/12"],
      ["https://172.31.255.255/", "172.16.0.0/12"],
      ["https://192.168.0.1/", "192.168.0.0/16"],
      ["https://3232235521/", "192.168.0.0/16"],
      ["https://169.254.169.254/", "169.254.0.0/16"],
      ["https://100.64.0.1/", "100.64.0.0/10"],
      ["https://100.127.255.254/", "100.64.0.0/10"],
      ["https://192.0.0.8/", "192.0.0.0/24"],
      ["https://192.0.2.1/", "192.0.2.0/24"],
      ["https://198.18.0.1/", "198.18.0.0/15"],
      ["https://198.51.100.7/", "198.51.100.0/24"],
      ["https://203.0.113.9/", "203.0.113.0/24"],
      ["https://224.0.0.1/", "224.0.0.0/4"],
      ["https://239.255.255.250/", "224.0.0.0/4"],
      ["https://240.0.0.1/", "240.0.0.0/4"],
      ["https://255.255.255.255/", "240.0.0.0/4"],
    ];
    for (const [url, range] of cases) expect(refused(url), url).toContain(range);
    // Just outside the ranges.
    for (const url of [
      "https://172.32.0.1/",
      "https://100.128.0.1/",
      "https://11.0.0.1/",
      "https://223.255.255.255/",
    ]) {
      expect(refused(url), url).toBeNull();
    }
  });

  it("refuses non-public IPv6, including IPv4 embedded in mapped, NAT64 and 6to4 forms", () => {
    const cases: [string, string][] = [
      ["https://[::1]/", "::/8"],
      ["https://[::]/", "::/8"],
      ["https://[0:0:0:0:0:0:0:1]/", "::/8"],
      ["https://[::127.0.0.1]/", "::/8"], // IPv4-compatible (deprecated)
      ["https://[::ffff:127.0.0.1]/", "IPv4-mapped 127.0.0.0/8"],
      ["https://[::ffff:7f00:1]/", "IPv4-mapped 127.0.0.0/8"],
      ["https://[::ffff:10.1.2.3]/", "IPv4-mapped 10.0.0.0/8"],
      ["https://[::ffff:169.254.169.254]/", "IPv4-mapped 169.254.0.0/16"],
      ["https://[64:ff9b::10.0.0.1]/", "NAT64 10.0.0.0/8"],
      ["https://[64:ff9b:1::1]/", "64:ff9b:1::/48"],
      ["https://[2002:7f00:1::]/", "6to4 127.0.0.0/8"],
      ["https://[2002:c0a8:101::1]/", "6to4 192.168.0.0/16"],
      ["https://[fc00::1]/", "fc00::/7"],
      ["https://[fd12:3456:789a::1]/", "fc00::/7"],
      ["https://[fe80::1]/", "fe80::/10"],
      ["https://[febf::1]/", "fe80::/10"],
      ["https://[fec0::1]/", "fec0::/10"],
      ["https://[ff02::1]/", "ff00::/8"],
      ["https://[100::1]/", "100::/64"],
      ["https://[2001:db8::1]/", "2001:db8::/32"],
      ["https://[2001::1]/", "2001::/23"],
      ["https://[3fff::1]/", "3fff::/20"],
    ];
    for (const [url, range] of cases) expect(refused(url), url).toContain(range);
  });

  it("reads IPv6 literals exactly as the URL parser serializes them", () => {
    expect(new URL("https://[0:0:0:0:0:ffff:7f00:0001]/").hostname).toBe("[::ffff:7f00:1]");
    expect(privateHostReason("[::ffff:7f00:1]")).toContain("127.0.0.0/8");
    expect(privateHostReason("[2a00:1450:4001:81c::200e]")).toBeNull();
    expect(privateHostReason("[1:2:3:4:5:6:7:8]")).toContain("::/8");
    expect(privateHostReason("[1::2::3]")).toBe("an IPv6 literal we cannot read");
  });
});

describe("SIEM URL guard (local development and tests: allowPrivate = true)", () => {
  it("allows http and private hosts but still refuses other schemes and credentials", () => {
    expect(refused("http://localhost:9000/in", true)).toBeNull();
    expect(refused("https://127.0.0.1:8443/in", true)).toBeNull();
    expect(refused("http://10.0.0.5/in", true)).toBeNull();
    expect(refused("ftp://localhost/in", true)).toBe("use an http or https URL");
    expect(refused("http://u:p@localhost/in", true)).toMatch(/credentials/);
  });
});
