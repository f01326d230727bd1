import { randomBytes } from 'node:crypto';
import { poseidon1, poseidon2 } from 'poseidon-lite';
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

/**
 * The commitment a voter registers: their identity, Poseidon(secret). It carries no weight: the
 * voter cannot choose what their vote counts.
 */
export function voterIdentity(secret: bigint): bigint {
  assertVoterSecret(secret);
  return poseidon1([secret]);
}

/**
 * A snapshot leaf, Poseidon(identity, weight), built by the server when a proposal opens from a
 * registered identity and the whole AIA_GOV its account has staked at that moment. The vote
 * circuit proves knowledge of the secret behind `identity` and counts at most `weight`.
 */
export function snapshotLeaf(identity: bigint, weight: bigint): bigint {
  assertWeight(weight);
  return poseidon2([identity, weight]);
}
