/** Decimal places of the AIA ledger: amounts are whole multiples of 10^-18 AIA. */
const AIA_SCALE = 18;
const UNIT = 10n ** BigInt(AIA_SCALE);
const PATTERN = /^(\d{1,20})(?:\.(\d{1,18}))?$/;

/** An AIA decimal string as whole 10^-18 units, exactly (never a float). Throws naming `field`. */
export function parseAia(text: string, field = 'amount'): bigint {
  const match = PATTERN.exec(text);
  if (!match)
    throw new RangeError(`${field}: "${text}" is not AIA (at most 20 digits and 18 decimals)`);
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * UNIT + BigInt(fraction.padEnd(AIA_SCALE, '0'));
}

/** Units as the ledger's decimal string, without trailing zeros ("12.5", "0", "3"). */
export function formatAia(units: bigint): string {
  if (units < 0n) throw new RangeError(`an AIA amount cannot be negative (${units})`);
  const whole = units / UNIT;
  const fraction = (units % UNIT).toString().padStart(AIA_SCALE, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

export const minUnits = (a: bigint, b: bigint): bigint => (a < b ? a : b);
