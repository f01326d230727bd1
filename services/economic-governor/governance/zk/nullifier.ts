import { poseidon3 } from 'poseidon-lite';
import { assertVoterSecret } from './commitment.js';
import { SCALAR_FIELD } from './field.js';

/**
 * Tag hashed in front of every nullifier. With Poseidon's three-input width (commitments use
 * two) it keeps a nullifier from ever equalling a commitment, whatever the proposal id.
 */
export const NULLIFIER_DOMAIN = 1n;

/** Refuses a proposal id that is not an element of the scalar field. */
export function assertProposalId(proposalId: bigint): void {
  if (proposalId < 0n || proposalId >= SCALAR_FIELD) {
    throw new RangeError('proposalId must be an element of the BN254 scalar field');
  }
}

/**
 * The nullifier a vote on `proposalId` publishes: Poseidon(1, secret, proposalId). The same
 * secret and proposal always give the same value (a second vote is recognised); another proposal
 * gives an unrelated value (votes on different proposals cannot be linked).
 */
export function voteNullifier(secret: bigint, proposalId: bigint): bigint {
  assertVoterSecret(secret);
  assertProposalId(proposalId);
  return poseidon3([NULLIFIER_DOMAIN, secret, proposalId]);
}
