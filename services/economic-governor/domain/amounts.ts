/** Minor units per token are 10^scale; amounts travel as decimal strings and live as bigint. */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
/** numeric(38,0): the largest amount the database holds. */
export const MAX_MINOR_UNITS = 10n ** 38n - 1n;
/**
 * The shape of any amount on either ledger (scale 18): at most 20 whole digits (10^38 minor
 * units) and 18 decimals. The ledger's own scale and the exact range are checked on parsing.
 */
export const AMOUNT_PATTERN = /^\d{1,20}(?:\.\d{1,18})?$/;

/** Why an amount string was refused; the caller prefixes the field name. */
export class AmountError extends Error {
  override readonly name = 'AmountError';
}

/**
 * Parses a positive decimal string ("12.5") into minor units at `scale`. Refuses signs, exponents,
 * zero, more fractional digits than the scale allows, and values beyond the database's range.
 */
export function parseAmount(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new AmountError(
      `'${text.slice(0, 40)}' is not a decimal number of tokens (digits, optionally a point and more digits, no sign or exponent)`,
    );
  }
  const whole = match[1] as string;
  const fraction = match[2] ?? '';
  if (fraction.length > scale) {
    throw new AmountError(`has ${fraction.length} decimal places; at most ${scale} are allowed`);
  }
  const minor = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
  if (minor === 0n) throw new AmountError('must be greater than zero');
  if (minor > MAX_MINOR_UNITS) throw new AmountError('is larger than the ledger can hold');
  return minor;
}

/** Minor units back to a decimal string without trailing zeros: 12500000n at scale 6 → "12.5". */
export function formatAmount(minor: bigint, scale: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
