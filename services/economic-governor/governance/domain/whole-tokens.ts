import { scaleOf } from '../../domain/ledgers.js';

const AIA_GOV_UNIT = 10n ** BigInt(scaleOf('AIA_GOV'));

/**
 * Whole AIA_GOV in an amount of minor units, rounded down: a vote weight is a 64-bit integer in
 * the circuit, so fractions of a token carry no weight.
 */
export const wholeAiaGov = (minorUnits: bigint): bigint => minorUnits / AIA_GOV_UNIT;
