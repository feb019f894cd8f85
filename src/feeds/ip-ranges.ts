// Which IP addresses a feed fetch may connect to: only globally reachable unicast. The tables follow the IANA
// special-purpose registries (RFC 6890 and successors). Addresses are compared as bigints so IPv4 and IPv6 share
// one code path, and every textual form (`::ffff:7f00:1`, `0:0:0:0:0:ffff:127.0.0.1`) reduces to the same number.
import { isIPv4, isIPv6 } from 'node:net';

interface Range {
  readonly base: bigint;
  readonly prefix: number;
  readonly kind: string;
}

const V4_BITS = 32;
const V6_BITS = 128;

function v4(cidr: string, kind: string): Range {
  const [addr = '', prefix = '32'] = cidr.split('/');
  const base = parseIpv4(addr);
  if (base === null) throw new Error(`bad IPv4 range ${cidr}`);
  return { base, prefix: Number(prefix), kind };
}

function v6(cidr: string, kind: string): Range {
  const [addr = '', prefix = '128'] = cidr.split('/');
  const base = parseIpv6(addr);
  if (base === null) throw new Error(`bad IPv6 range ${cidr}`);
  return { base, prefix: Number(prefix), kind };
}

// Order matters: the first match names the address (broadcast before the reserved 240/4 around it).
const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0/32', 'unspecified address'),
  v4('0.0.0.0/8', '"this network" address (0/8)'),
  v4('10.0.0.0/8', 'private address (10/8)'),
  v4('100.64.0.0/10', 'carrier-grade NAT address (100.64/10)'),
  v4('127.0.0.0/8', 'loopback address'),
  v4('169.254.0.0/16', 'link-local address'),
  v4('172.16.0.0/12', 'private address (172.16/12)'),
  v4('192.0.0.0/24', 'reserved address (IETF protocol assignments, 192.0.0/24)'),
  v4('192.0.2.0/24', 'documentation address (TEST-NET-1)'),
  v4('192.88.99.0/24', 'reserved address (6to4 relay anycast)'),
  v4('192.168.0.0/16', 'private address (192.168/16)'),
  v4('198.18.0.0/15', 'reserved address (benchmarking, 198.18/15)'),
  v4('198.51.100.0/24', 'documentation address (TEST-NET-2)'),
  v4('203.0.113.0/24', 'documentation address (TEST-NET-3)'),
  v4('224.0.0.0/4', 'multicast address'),
  v4('255.255.255.255/32', 'broadcast address'),
  v4('240.0.0.0/4', 'reserved address (240/4)'),
];

const MAPPED = v6('::ffff:0:0/96', 'IPv4-mapped IPv6 address');
const NAT64 = v6('64:ff9b::/96', 'NAT64 address');
const SIX_TO_FOUR = v6('2002::/16', '6to4 address');

const IPV6_RANGES: readonly Range[] = [
  v6('::/128', 'unspecified address'),
  v6('::1/128', 'loopback address'),
  MAPPED,
  v6('::/96', 'IPv4-compatible IPv6 address (deprecated)'),
  v6('64:ff9b:1::/48', 'reserved address (local-use NAT64)'),
  v6('100::/64', 'reserved address (discard-only)'),
  v6('2001:db8::/32', 'documentation address (2001:db8::/32)'),
  v6('2001::/23', 'reserved address (IETF protocol assignments, 2001::/23)'),
  v6('3fff::/20', 'documentation address (3fff::/20)'),
  v6('fc00::/7', 'unique-local address (fc00::/7)'),
  v6('fe80::/10', 'link-local address'),
  v6('fec0::/10', 'site-local address (deprecated)'),
  v6('ff00::/8', 'multicast address'),
];

function inRange(value: bigint, bits: number, range: Range): boolean {
  const shift = BigInt(bits - range.prefix);
  return value >> shift === range.base >> shift;
}

function classifyV4(value: bigint): string | null {
  for (const range of IPV4_RANGES) if (inRange(value, V4_BITS, range)) return range.kind;
  return null;
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/**
 * Why `address` must not be connected to (`"loopback address"`), or null when it is globally reachable unicast.
 * Anything that is not an IP literal is refused too: callers resolve names first.
 */
export function refusedAddressKind(address: string): string | null {
  const bare = stripZone(unbracket(address));
  if (isIPv4(bare)) {
    const value = parseIpv4(bare);
    return value === null ? 'malformed IPv4 address' : classifyV4(value);
  }
  if (!isIPv6(bare)) return 'not an IP address';
  const value = parseIpv6(bare);
  if (value === null) return 'malformed IPv6 address';
  // Translation prefixes carry an IPv4 address in their low bits: judge that address. Mapped addresses are refused
  // whatever they carry, since a resolver has no business returning them for a public host.
  const embedded = value & 0xffffffffn;
  if (inRange(value, V6_BITS, MAPPED)) {
    const inner = classifyV4(embedded);
    return `${MAPPED.kind} (${formatV4(embedded)}${inner ? `, a ${inner}` : ''})`;
  }
  if (inRange(value, V6_BITS, NAT64)) {
    const inner = classifyV4(embedded);
    return inner ? `${NAT64.kind} of a ${inner} (${formatV4(embedded)})` : null;
  }
  if (inRange(value, V6_BITS, SIX_TO_FOUR)) {
    const carried = (value >> 80n) & 0xffffffffn;
    const inner = classifyV4(carried);
    return inner ? `${SIX_TO_FOUR.kind} of a ${inner} (${formatV4(carried)})` : null;
  }
  for (const range of IPV6_RANGES) if (inRange(value, V6_BITS, range)) return range.kind;
  return null;
}

export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function stripZone(address: string): string {
  const zone = address.indexOf('%');
  return zone === -1 ? address : address.slice(0, zone);
}

export function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

export function parseIpv6(text: string): bigint | null {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (lastColon !== -1 && body.includes('.', lastColon)) {
    // A dotted IPv4 in the last 32 bits (::ffff:127.0.0.1): rewrite it as two hex groups.
    const embedded = parseIpv4(body.slice(lastColon + 1));
    if (embedded === null) return null;
    body = `${body.slice(0, lastColon + 1)}${(embedded >> 16n).toString(16)}:${(embedded & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string | undefined): string[] => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  if (fill < 0) return null;
  let value = 0n;
  let count = 0;
  for (const group of [...head, ...Array<string>(fill).fill('0'), ...rest]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(`0x${group}`);
    count += 1;
  }
  return count === 8 ? value : null;
}
