/** Decimal places of the AIA ledger: amounts are whole multiples of 10^-18 AIA. */
export const AIA_SCALE = 18;
const UNIT = 10n ** BigInt(AIA_SCALE);
const AMOUNT = /^(\d{1,20})(?:\.(\d{1,18}))?$/;

/**
 * An AIA decimal string ("12.5") as whole 10^-18 units, exactly (never through a float).
 * Throws a RangeError naming `field` for anything else.
 */
export function parseAia(text: string, field: string): bigint {
  const match = AMOUNT.exec(text);
  if (!match)
    throw new RangeError(
      `${field}: "${text}" is not an AIA amount (at most 20 digits and 18 decimals)`,
    );
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * UNIT + BigInt(fraction.padEnd(AIA_SCALE, '0'));
}

/** Units as the ledger writes amounts: a decimal string without trailing zeros ("12.5", "0"). */
export function formatAia(units: bigint): string {
  if (units < 0n) throw new RangeError(`an AIA amount cannot be negative (${units})`);
  const whole = units / UNIT;
  const fraction = (units % UNIT).toString().padStart(AIA_SCALE, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/**
 * A fraction from 0 to 1 written as a decimal string ("0.25") as parts of 10^18, exactly: the
 * cap share multiplies amounts in units without a float in between.
 */
export function parseFraction(text: string, field: string): bigint {
  const parts = /^(0|1)(?:\.(\d{1,18}))?$/.exec(text);
  const value = parts
    ? BigInt(parts[1] as string) * UNIT + BigInt((parts[2] ?? '').padEnd(AIA_SCALE, '0'))
    : -1n;
  if (value < 0n || value > UNIT)
    throw new RangeError(`${field}: "${text}" is not a fraction from 0 to 1 (e.g. 0.25)`);
  return value;
}

/** `units × fraction` (a fraction in parts of 10^18), rounded down. */
export const timesFraction = (units: bigint, fraction: bigint): bigint => (units * fraction) / UNIT;

export const minUnits = (a: bigint, b: bigint): bigint => (a < b ? a : b);
