/**
 * The client a per-client limit counts against. Cloudflare puts the client's address in
 * `CF-Connecting-IP` (https://developers.cloudflare.com/fundamentals/reference/http-headers/).
 * An IPv4 address is one client; an IPv6 client gets a whole /64 (RFC 4291 §2.5.4, RFC 7421)
 * and can pick any of its 2^64 addresses per request, so IPv6 is counted per /64.
 */

/** The client network of the request, e.g. `192.0.2.7` or `2001:db8:0:1::/64`; `unknown` when
 * the header is absent (local tools) or not an address. */
export function clientNetwork(headers: Headers): string {
  return networkOf(headers.get("CF-Connecting-IP"));
}

export function networkOf(address: string | null): string {
  const ip = address?.trim() ?? "";
  if (IPV4.test(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (groups === null) return "unknown";
  // ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack socket (RFC 4291 §2.5.5.2).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

/** The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2 text forms), or null. */
function ipv6Groups(text: string): number[] | null {
  // A zone id (fe80::1%eth0) names a link, not a host.
  let ip = text.replace(/%.*$/, "");
  // A trailing dotted IPv4 part (::ffff:192.0.2.7) is the last two groups written in decimal.
  const dotted = /(?<=:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) {
    if (!IPV4.test(dotted[1]!)) return null;
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    ip = `${ip.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = ip.split("::");
  if (halves.length > 2) return null;
  const head = hextets(halves[0]!);
  const tail = halves.length === 2 ? hextets(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const written = head.length + tail.length;
  if (halves.length === 1) return written === 8 ? head : null;
  // "::" stands for one or more zero groups.
  if (written > 7) return null;
  return [...head, ...new Array<number>(8 - written).fill(0), ...tail];
}

function hextets(part: string): number[] | null {
  if (part === "") return [];
  const groups: number[] = [];
  for (const g of part.split(":")) {
    if (!HEXTET.test(g)) return null;
    groups.push(parseInt(g, 16));
  }
  return groups;
}
