import { isIP } from 'node:net';

/**
 * Which network addresses an outgoing webhook may reach. A webhook URL is typed in by a user, so without
 * this check the worker would POST signed requests to Redis, the cloud metadata service or the admin
 * pages of any host on the private network (SSRF).
 */

interface Range {
  /** the first address as 32 (IPv4) or 128 (IPv6) bits */
  base: bigint;
  bits: number;
  family: 4 | 6;
  reason: string;
}

/** Most specific first: the first range that holds an address names why it is refused. */
const REFUSED: readonly [cidr: string, reason: string][] = [
  ['169.254.169.254/32', 'the cloud metadata service'],
  ['fd00:ec2::254/128', 'the cloud metadata service'],
  ['0.0.0.0/8', 'an unspecified ("this network") address'],
  ['10.0.0.0/8', 'a private (RFC 1918) address'],
  ['100.64.0.0/10', 'a carrier-grade NAT (RFC 6598) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['172.16.0.0/12', 'a private (RFC 1918) address'],
  ['192.0.0.0/24', 'an IETF protocol assignment (RFC 6890) address'],
  ['192.168.0.0/16', 'a private (RFC 1918) address'],
  ['198.18.0.0/15', 'a network benchmarking (RFC 2544) address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
  ['::/128', 'an unspecified address'],
  ['::1/128', 'a loopback address'],
  ['fc00::/7', 'a unique local (private, fc00::/7) address'],
  ['fe80::/10', 'a link-local address'],
  ['ff00::/8', 'a multicast address'],
];

const RANGES: readonly Range[] = REFUSED.map(([cidr, reason]) => ({ ...parseCidr(cidr)!, reason }));

/** IPv6 forms that carry an IPv4 address in their last 32 bits: mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96). */
const EMBEDDED_IPV4: readonly Range[] = ['::ffff:0:0/96', '64:ff9b::/96'].map((cidr) => ({
  ...parseCidr(cidr)!,
  reason: '',
}));

/** The reason an address must not be reached, or null when it is a public address. */
export function refusedAddressReason(address: string): string | null {
  const parsed = parseAddress(address);
  if (!parsed) return 'not an IP address';
  if (parsed.family === 6) {
    const embedded = EMBEDDED_IPV4.find((range) => contains(range, parsed));
    if (embedded) return refusedAddressReason(bitsToIpv4(parsed.value & 0xffffffffn));
  }
  return RANGES.find((range) => contains(range, parsed))?.reason ?? null;
}

/** The hosts an operator allows although they are not public: exact names, IP addresses and CIDR ranges. */
export class WebhookAllowList {
  private constructor(
    private readonly names: ReadonlySet<string>,
    private readonly ranges: readonly Range[],
  ) {}

  /** `WEBHOOK_ALLOWED_HOSTS`: comma-separated host names, addresses or CIDR ranges; throws on a malformed entry. */
  static parse(raw: string | undefined): WebhookAllowList {
    const names = new Set<string>();
    const ranges: Range[] = [];
    for (const entry of (raw ?? '').split(',').map((e) => e.trim().toLowerCase())) {
      if (!entry) continue;
      const literal = entry.replace(/^\[(.*)\]$/, '$1');
      const range = parseCidr(literal.includes('/') ? literal : `${literal}/${isIP(literal) === 6 ? 128 : 32}`);
      if (range) ranges.push({ ...range, reason: '' });
      else if (/^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(literal))
        names.add(literal);
      else throw new Error(`"${entry}" is neither a host name, an IP address nor a CIDR range`);
    }
    return new WebhookAllowList(names, ranges);
  }

  get isEmpty(): boolean {
    return this.names.size === 0 && this.ranges.length === 0;
  }

  allowsName(hostname: string): boolean {
    return this.names.has(hostname.toLowerCase());
  }

  allowsAddress(address: string): boolean {
    const parsed = parseAddress(address);
    return parsed !== null && this.ranges.some((range) => contains(range, parsed));
  }
}

interface ParsedAddress {
  family: 4 | 6;
  value: bigint;
}

function contains(range: Range, address: ParsedAddress): boolean {
  if (range.family !== address.family) return false;
  const width = range.family === 4 ? 32 : 128;
  const shift = BigInt(width - range.bits);
  return address.value >> shift === range.base >> shift;
}

function parseCidr(cidr: string): Omit<Range, 'reason'> | null {
  const [address, bitsText, ...rest] = cidr.split('/');
  const parsed = parseAddress(address);
  const bits = Number(bitsText);
  if (!parsed || rest.length || !/^\d{1,3}$/.test(bitsText ?? '') || bits > (parsed.family === 4 ? 32 : 128))
    return null;
  return { base: parsed.value, bits, family: parsed.family };
}

function parseAddress(raw: string): ParsedAddress | null {
  const address = raw.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return { family: 4, value: ipv4ToBits(address) };
  if (family !== 6) return null;
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToBits(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return { family: 6, value: groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n) };
}

function ipv4ToBits(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function bitsToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)).join('.');
}
