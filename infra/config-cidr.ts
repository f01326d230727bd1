import { z } from 'zod';

/**
 * IPv4 CIDR ranges of the stack configuration. Google Cloud refuses a prefix over 32 and a range
 * with host bits set only when the resource is created, minutes into `pulumi up`; these checks
 * refuse them when the configuration is read, and say which range was meant.
 */

export interface Cidr {
  /** The first address, as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

const FORM = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** A range, or the sentence saying why `text` is not one. */
export function parseCidr(text: string): Cidr | string {
  const match = FORM.exec(text);
  if (!match) return 'expected an IPv4 CIDR range such as 10.0.0.0/20';
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet) => octet > 255)) {
    return 'expected an IPv4 CIDR range: each octet at most 255';
  }
  const prefix = Number(match[5]);
  if (prefix > 32) return `the prefix length /${prefix} is over /32: an IPv4 range is /0 to /32`;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const base = address - (address % size);
  if (base !== address) {
    return `host bits are set (the range starts at ${formatAddress(base)}): write ${formatAddress(base)}/${prefix}`;
  }
  return { base, prefix };
}

export const formatAddress = (address: number): string =>
  [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');

export const formatCidr = ({ base, prefix }: Cidr): string => `${formatAddress(base)}/${prefix}`;

const last = ({ base, prefix }: Cidr) => base + 2 ** (32 - prefix) - 1;

/** True when the two ranges share an address. */
export const overlaps = (a: Cidr, b: Cidr): boolean => a.base <= last(b) && b.base <= last(a);

/** An IPv4 CIDR range: valid octets, a prefix of at most 32, no host bits set. */
export const cidrSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (range) => parseCidr(range) as Cidr,
);

/** A range inside RFC 1918 space. */
export const privateCidrSchema = cidrSchema.refine((text) => {
  const parsed = parseCidr(text);
  return (
    typeof parsed === 'string' ||
    PRIVATE_RANGES.some((range) => range.base <= parsed.base && last(parsed) <= last(range))
  );
}, 'expected a private (RFC 1918) range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');

/**
 * Pairs of named ranges that share addresses, as `[a, b]` names in the order given. Unparseable
 * ranges are skipped: their own check reports them.
 */
export function overlappingPairs(ranges: Readonly<Record<string, string>>): [string, string][] {
  const parsed = Object.entries(ranges).flatMap(([name, text]) => {
    const cidr = parseCidr(text);
    return typeof cidr === 'string' ? [] : [[name, cidr] as const];
  });
  return parsed.flatMap(([name, cidr], index) =>
    parsed
      .slice(index + 1)
      .filter(([, other]) => overlaps(cidr, other))
      .map(([other]): [string, string] => [name, other]),
  );
}
