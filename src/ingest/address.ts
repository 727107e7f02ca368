/**
 * Which network addresses a fetch may reach. A URL from chat or config must not make the bot
 * reach into the newsroom's own network (server-side request forgery), so every address a host
 * resolves to is checked against the special-purpose ranges of the IANA IPv4 and IPv6
 * Special-Purpose Address Registries (RFC 6890 and its updates): private (RFC 1918, RFC 4193),
 * loopback, link-local (RFC 3927, RFC 4291), shared/CGNAT (RFC 6598), multicast, unspecified,
 * broadcast, benchmarking (RFC 2544), documentation (RFC 5737, RFC 3849) and reserved space.
 * IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible and NAT64 (`64:ff9b::/96`, RFC 6052) IPv6
 * addresses are judged by the IPv4 address they carry.
 *
 * An allow list (config `fetch.allow`) lets chosen hosts through: entries are host names
 * (`wire.internal`, matched case-insensitively), IP addresses (`127.0.0.1`, `::1`) or CIDR
 * ranges (`10.20.0.0/16`, `fd00::/8`).
 */
import net from 'node:net';

/** IPv4 ranges never fetched: base address, prefix length, name used in refusals. */
const BLOCKED_V4: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'], // "this network"
  ['10.0.0.0', 8, 'private'], // RFC 1918
  ['100.64.0.0', 10, 'shared (CGNAT)'], // RFC 6598
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // cloud metadata services live here
  ['172.16.0.0', 12, 'private'], // RFC 1918
  ['192.0.0.0', 24, 'special-purpose'], // IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'], // RFC 1918
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'], // includes 255.255.255.255
];

/** IPv6 ranges never fetched (IPv4-carrying forms are unwrapped before this check). */
const BLOCKED_V6: ReadonlyArray<readonly [string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'special-purpose'], // Teredo, ORCHID, …
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'private (unique local)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const blocked = new net.BlockList();
for (const [a, p] of BLOCKED_V4) blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of BLOCKED_V6) blocked.addSubnet(a, p, 'ipv6');

/** Removes the brackets of an IPv6 URL host (`[::1]` → `::1`). */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The eight 16-bit words of an IPv6 address, or null when it is not one. */
function expandIpv6(addr: string): number[] | null {
  let s = addr.split('%')[0]!.toLowerCase();
  if (!net.isIPv6(s)) return null;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const double = s.indexOf('::');
  const head = double >= 0 ? s.slice(0, double) : s;
  const tail = double >= 0 ? s.slice(double + 2) : null;
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === null ? 0 : 8 - h.length - t.length;
  const words = [...h, ...Array<string>(Math.max(fill, 0)).fill('0'), ...t].map((w) => parseInt(w, 16));
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

/**
 * The dotted IPv4 address carried by an IPv4-mapped (`::ffff:0:0/96`), IPv4-compatible (`::/96`,
 * except `::` and `::1`) or NAT64 (`64:ff9b::/96`) IPv6 address; null for any other address.
 */
export function embeddedIpv4(v6: string): string | null {
  const w = expandIpv6(unbracket(v6));
  if (!w) return null;
  const v4 = `${w[6]! >> 8}.${w[6]! & 255}.${w[7]! >> 8}.${w[7]! & 255}`;
  const zeros = (n: number): boolean => w.slice(0, n).every((x) => x === 0);
  if (zeros(5) && w[5] === 0xffff) return v4;
  if (zeros(6) && (w[6] !== 0 || w[7]! > 1)) return v4;
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return v4;
  return null;
}

/** The name of the blocked range an address is in (the first listed range that holds it). */
function kind(a: string, type: 'ipv4' | 'ipv6'): string {
  for (const [base, bits, name] of type === 'ipv4' ? BLOCKED_V4 : BLOCKED_V6) {
    const one = new net.BlockList();
    one.addSubnet(base, bits, type);
    if (one.check(a, type)) return name;
  }
  return 'special-purpose';
}

/**
 * Why an IP address may not be fetched, or null when it is a public unicast address.
 * @param address an IPv4 or IPv6 address (brackets and a `%zone` are allowed); anything else is refused
 * @returns a short reason such as `private address 10.0.0.1`
 */
export function blockedReason(address: string): string | null {
  const a = unbracket(address).split('%')[0]!;
  const family = net.isIP(a);
  if (family === 0) return `not an IP address: ${address}`;
  if (family === 6) {
    const v4 = embeddedIpv4(a);
    if (v4) {
      const r = blockedReason(v4);
      return r ? `${r} (inside IPv6 ${a})` : null;
    }
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return blocked.check(a, type) ? `${kind(a, type)} address ${a}` : null;
}

/** A compiled allow list of host names, addresses and CIDR ranges (config `fetch.allow`). */
export class AllowList {
  private readonly names = new Set<string>();
  private readonly ranges = new net.BlockList();
  private empty = true;

  /**
   * @param entries host names, IP addresses or CIDR ranges (see the module docstring)
   * @throws Error naming an entry that is none of these
   */
  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const e = unbracket(raw.trim().toLowerCase());
      if (!e) continue;
      this.empty = false;
      const cidr = /^(.+)\/(\d{1,3})$/.exec(e);
      const fam = net.isIP(cidr ? cidr[1]! : e);
      if (cidr) {
        const bits = Number(cidr[2]);
        if (fam === 0 || bits > (fam === 4 ? 32 : 128)) throw new Error(`fetch.allow: not a CIDR range: ${raw}`);
        this.ranges.addSubnet(cidr[1]!, bits, fam === 4 ? 'ipv4' : 'ipv6');
      } else if (fam !== 0) {
        this.ranges.addAddress(e, fam === 4 ? 'ipv4' : 'ipv6');
      } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(e)) {
        this.names.add(e.replace(/\.$/, ''));
      } else {
        throw new Error(`fetch.allow: not a host name, IP address or CIDR range: ${raw}`);
      }
    }
  }

  /** True when the URL host (brackets and a trailing dot allowed, any case) is listed by name. */
  allowsName(host: string): boolean {
    return !this.empty && this.names.has(unbracket(host).toLowerCase().replace(/\.$/, ''));
  }

  /** True when the address is listed or inside a listed range (IPv4-mapped forms match their IPv4 entry). */
  allowsAddress(address: string): boolean {
    if (this.empty) return false;
    const a = unbracket(address).split('%')[0]!;
    const fam = net.isIP(a);
    if (fam === 0) return false;
    if (this.ranges.check(a, fam === 4 ? 'ipv4' : 'ipv6')) return true;
    const v4 = fam === 6 ? embeddedIpv4(a) : null;
    return v4 !== null && this.ranges.check(v4, 'ipv4');
  }
}
