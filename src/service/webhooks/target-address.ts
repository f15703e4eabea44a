import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a webhook may be sent to: public unicast only, unless the operator allows
 * private targets (ROSTER_WEBHOOK_ALLOW_PRIVATE). A webhook URL is chosen through the API, so
 * without this a caller could make Roster POST to its own network: the cloud metadata service,
 * an admin port on localhost, a database's HTTP interface.
 *
 * The ranges are the IANA special-purpose registries' (IPv4 and IPv6) that are not globally
 * reachable. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by
 * that address, so `::ffff:127.0.0.1` is loopback.
 */

interface Range {
  readonly prefix: readonly number[];
  readonly bits: number;
  readonly kind: string;
}

const IPV4_RANGES: readonly Range[] = [
  { prefix: [0], bits: 8, kind: '"this network" (0.0.0.0/8)' },
  { prefix: [10], bits: 8, kind: 'private (10.0.0.0/8)' },
  { prefix: [100, 64], bits: 10, kind: 'carrier-grade NAT (100.64.0.0/10)' },
  { prefix: [127], bits: 8, kind: 'loopback (127.0.0.0/8)' },
  { prefix: [169, 254], bits: 16, kind: 'link-local (169.254.0.0/16, where cloud metadata services answer)' },
  { prefix: [172, 16], bits: 12, kind: 'private (172.16.0.0/12)' },
  { prefix: [192, 0, 0], bits: 24, kind: 'IETF protocol assignments (192.0.0.0/24)' },
  { prefix: [192, 0, 2], bits: 24, kind: 'documentation (192.0.2.0/24)' },
  { prefix: [192, 88, 99], bits: 24, kind: '6to4 relay (192.88.99.0/24)' },
  { prefix: [192, 168], bits: 16, kind: 'private (192.168.0.0/16)' },
  { prefix: [198, 18], bits: 15, kind: 'benchmarking (198.18.0.0/15)' },
  { prefix: [198, 51, 100], bits: 24, kind: 'documentation (198.51.100.0/24)' },
  { prefix: [203, 0, 113], bits: 24, kind: 'documentation (203.0.113.0/24)' },
  { prefix: [224], bits: 4, kind: 'multicast (224.0.0.0/4)' },
  { prefix: [240], bits: 4, kind: 'reserved (240.0.0.0/4, with the broadcast address)' },
];

/** Inside global unicast (2000::/3), the blocks that are not globally reachable. */
const IPV6_RANGES: readonly Range[] = [
  { prefix: [0x20, 0x01, 0x0d, 0xb8], bits: 32, kind: 'documentation (2001:db8::/32)' },
  { prefix: [0x20, 0x01], bits: 23, kind: 'IETF protocol assignments (2001::/23, with Teredo)' },
  { prefix: [0x3f, 0xff], bits: 20, kind: 'documentation (3fff::/20)' },
];

/** Outside 2000::/3: names for the ranges people meet, for the error message. */
const IPV6_OUTSIDE: readonly Range[] = [
  { prefix: [0xfc], bits: 7, kind: 'unique-local (fc00::/7)' },
  { prefix: [0xfe, 0x80], bits: 10, kind: 'link-local (fe80::/10)' },
  { prefix: [0xfe, 0xc0], bits: 10, kind: 'site-local (fec0::/10)' },
  { prefix: [0xff], bits: 8, kind: 'multicast (ff00::/8)' },
];

function inRange(bytes: readonly number[], range: Range): boolean {
  for (let bit = 0; bit < range.bits; bit += 8) {
    const width = Math.min(8, range.bits - bit);
    const mask = (0xff << (8 - width)) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((range.prefix[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** The 16 bytes of a valid IPv6 address (`::` expanded, a dotted IPv4 tail read). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail.push(...ipv4Bytes(text.slice(lastColon + 1)));
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const words = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right].map((word) => parseInt(word, 16));
  const bytes = words.flatMap((word) => [word >> 8, word & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function ipv4Kind(bytes: readonly number[]): string | undefined {
  return IPV4_RANGES.find((range) => inRange(bytes, range))?.kind;
}

function ipv6Kind(bytes: readonly number[]): string | undefined {
  const startsWith = (prefix: readonly number[], bits: number): boolean => inRange(bytes, { prefix, bits, kind: '' });
  const embedded = (from: number): string | undefined => {
    const kind = ipv4Kind(bytes.slice(from, from + 4));
    return kind === undefined ? undefined : `${kind}, inside an IPv6 address`;
  };
  if (bytes.every((byte) => byte === 0)) return 'unspecified (::)';
  if (bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1) return 'loopback (::1)';
  // IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d reach the IPv4 address they carry.
  if (startsWith([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) return embedded(12);
  if (startsWith([0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return embedded(12);
  // 6to4 2002:aabb:ccdd::/48 routes to the IPv4 address a.b.c.d.
  if (startsWith([0x20, 0x02], 16)) return embedded(2);
  if (!startsWith([0x20], 3)) return IPV6_OUTSIDE.find((range) => inRange(bytes, range))?.kind ?? 'reserved (outside global unicast 2000::/3)';
  return IPV6_RANGES.find((range) => inRange(bytes, range))?.kind;
}

/**
 * Why an IP address is not a public one (its range, for messages), or undefined when it is
 * public. Anything that is not an IP address is refused too: callers pass resolved addresses.
 */
export function nonPublicRange(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return ipv4Kind(ipv4Bytes(bare));
  if (isIPv6(bare) && !bare.includes('%')) return ipv6Kind(ipv6Bytes(bare));
  return 'not an IP address';
}

/** The host of a URL's hostname when it is an IP literal (`[::1]` → `::1`), else undefined. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIPv4(bare) || isIPv6(bare) ? bare : undefined;
}

/** `localhost` and its subdomains are loopback by definition (RFC 6761), whatever DNS says. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
