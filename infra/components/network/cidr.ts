/** An IPv4 range split into the two fields Google Cloud address resources take. */
export interface CidrParts {
  readonly address: string;
  readonly prefixLength: number;
}

/**
 * Splits `10.30.0.0/16` into `{ address: '10.30.0.0', prefixLength: 16 }`; throws with a sentence
 * on anything that is not an IPv4 CIDR range.
 */
export function parseCidr(cidr: string): CidrParts {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefixLength = Number(match?.[5]);
  if (!match || octets.some((octet) => octet > 255) || prefixLength > 32) {
    throw new Error(`${JSON.stringify(cidr)} is not an IPv4 CIDR range such as 10.30.0.0/16.`);
  }
  return { address: octets.join('.'), prefixLength };
}
