import { isIPv4, isIPv6 } from 'node:net';

/**
 * The special-purpose address ranges an outbound call to a URL that a caller gave us must not
 * reach (RFC 6890 and the IANA special-purpose registries), by the reason they are refused.
 */
export type AddressRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade NAT'
  | 'link-local'
  | 'cloud metadata'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

/**
 * Ranges a development machine's own webhooks and test servers live in: let through when a
 * policy allows private addresses. Link-local, metadata and the rest never are: nothing a
 * developer runs needs them, and the metadata server hands out the node's credentials.
 */
export const PRIVATE_RANGES: ReadonlySet<AddressRange> = new Set([
  'loopback',
  'private',
  'carrier-grade NAT',
  'unique-local',
]);

interface Block {
  readonly first: bigint;
  readonly bits: number;
  readonly range: AddressRange;
}

const block = (cidr: string, range: AddressRange): Block => {
  const [address = '', bits = ''] = cidr.split('/');
  return { first: bitsOf(address), bits: Number(bits), range };
};

// IPv4 blocks as IPv4-mapped IPv6 (::ffff:0:0/96), so one table serves both families. More
// specific blocks come first: the first match wins.
const v4 = (cidr: string, range: AddressRange): Block => {
  const [address = '', bits = ''] = cidr.split('/');
  return block(`::ffff:${address}/${96 + Number(bits)}`, range);
};

const BLOCKS: readonly Block[] = [
  v4('169.254.169.254/32', 'cloud metadata'),
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'carrier-grade NAT'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('240.0.0.0/4', 'reserved'),
  block('::/128', 'unspecified'),
  block('::1/128', 'loopback'),
  block('100::/64', 'reserved'),
  block('2001:db8::/32', 'documentation'),
  // AWS's IPv6 instance metadata address, inside the unique-local block.
  block('fd00:ec2::254/128', 'cloud metadata'),
  block('fc00::/7', 'unique-local'),
  block('fe80::/10', 'link-local'),
  // Site-local (deprecated, RFC 3879): private by its first meaning.
  block('fec0::/10', 'private'),
  block('ff00::/8', 'multicast'),
];

/**
 * IPv6 prefixes that carry an IPv4 address in their low 32 bits, which a router translates to
 * that IPv4 address: the embedded address is what gets reached, so it is what is classified.
 */
const EMBEDDING: readonly Block[] = [
  block('64:ff9b::/96', 'reserved'), // NAT64 (RFC 6052)
  block('64:ff9b:1::/48', 'reserved'), // local-use NAT64 (RFC 8215)
  block('::/96', 'reserved'), // IPv4-compatible (deprecated, RFC 4291)
];

const MAPPED_PREFIX = bitsOf('::ffff:0:0');
const LOW_32 = (1n << 32n) - 1n;

/**
 * The special-purpose range `address` (an IPv4 or IPv6 literal) is in, or undefined for a public
 * address. IPv4-mapped, IPv4-compatible and NAT64 IPv6 addresses are classified by the IPv4
 * address they carry; 6to4 (2002::/16) by the IPv4 address in its prefix.
 *
 * @example
 * addressRangeOf('169.254.169.254'); // 'cloud metadata'
 * addressRangeOf('::ffff:10.0.0.1'); // 'private'
 * addressRangeOf('93.184.215.14');   // undefined (public)
 */
export function addressRangeOf(address: string): AddressRange | undefined {
  if (!isIPv4(address) && !isIPv6(address))
    throw new TypeError(`not an IP address: ${JSON.stringify(address)}`);
  let bits = isIPv4(address) ? bitsOf(`::ffff:${address}`) : bitsOf(address);
  // :: and ::1 sit inside ::/96 (IPv4-compatible): classified before it is unwrapped.
  if (bits === 0n) return 'unspecified';
  if (bits === 1n) return 'loopback';
  if (EMBEDDING.some((b) => within(bits, b))) bits = MAPPED_PREFIX | (bits & LOW_32);
  else if (bits >> 112n === 0x2002n) bits = MAPPED_PREFIX | ((bits >> 80n) & LOW_32);
  return BLOCKS.find((b) => within(bits, b))?.range;
}

const within = (bits: bigint, { first, bits: prefix }: Block): boolean =>
  bits >> BigInt(128 - prefix) === first >> BigInt(128 - prefix);

/** An IPv6 literal (optionally ending in a dotted IPv4 quad) as its 128 bits. */
function bitsOf(address: string): bigint {
  let text = address.replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].reduce(
    (sum, group) => (sum << 16n) | BigInt(Number.parseInt(group, 16)),
    0n,
  );
}
