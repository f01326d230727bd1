import { createHash } from 'node:crypto';
import { SCALAR_FIELD } from '../zk/field.js';

/**
 * A proposal's id as the vote circuit takes it: SHA-256 of the UUID's text, reduced into the
 * BN254 scalar field. A vote proof binds this value, so it cannot be replayed on another proposal.
 */
export const proposalFieldOf = (proposalId: string): bigint =>
  BigInt(`0x${createHash('sha256').update(proposalId.toLowerCase()).digest('hex')}`) % SCALAR_FIELD;
