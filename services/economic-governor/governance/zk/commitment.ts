import { randomBytes } from 'node:crypto';
import { poseidon2 } from 'poseidon-lite';
import { SCALAR_FIELD } from './field.js';

/** The largest weight a leaf can carry: the circuit range-checks weight and tier to 64 bits. */
export const MAX_WEIGHT = 2n ** 64n - 1n;

/**
 * A fresh voter secret: 31 random bytes, always below the scalar field. It stays on the voter's
 * machine; only the commitment built from it is registered.
 */
export function newVoterSecret(): bigint {
  return BigInt(`0x${randomBytes(31).toString('hex')}`);
}

/** Refuses a secret the circuit could not take as it is (zero, or not a field element). */
export function assertVoterSecret(secret: bigint): void {
  if (secret <= 0n || secret >= SCALAR_FIELD) {
    throw new RangeError('secret must be a positive element of the BN254 scalar field');
  }
}

/** Refuses a weight outside the circuit's 64-bit range. */
export function assertWeight(weight: bigint, field = 'weight'): void {
  if (weight < 0n || weight > MAX_WEIGHT) {
    throw new RangeError(`${field} must be an integer from 0 to 2^64 - 1`);
  }
}

/** The snapshot leaf a voter registers: Poseidon(secret, weight). */
export function voterCommitment(secret: bigint, weight: bigint): bigint {
  assertVoterSecret(secret);
  assertWeight(weight);
  return poseidon2([secret, weight]);
}
