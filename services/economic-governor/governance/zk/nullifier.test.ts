import { describe, expect, it } from 'vitest';
import { newVoterSecret, snapshotLeaf, voterIdentity } from './commitment.js';
import { SCALAR_FIELD } from './field.js';
import { voteNullifier } from './nullifier.js';

describe('voteNullifier', () => {
  const secret = newVoterSecret();

  it('is the same for the same secret and proposal, so a second vote is recognised', () => {
    expect(voteNullifier(secret, 7n)).toBe(voteNullifier(secret, 7n));
  });

  it("differs between proposals, so one voter's votes on two proposals cannot be linked", () => {
    expect(voteNullifier(secret, 7n)).not.toBe(voteNullifier(secret, 8n));
  });

  it('differs between voters on the same proposal', () => {
    expect(voteNullifier(secret, 7n)).not.toBe(voteNullifier(newVoterSecret(), 7n));
  });

  it('never equals the identity or a leaf, even when the proposal id equals the weight', () => {
    const identity = voterIdentity(secret);
    expect(voteNullifier(secret, 500n)).not.toBe(identity);
    expect(voteNullifier(secret, 500n)).not.toBe(snapshotLeaf(identity, 500n));
  });

  it('refuses a proposal id outside the scalar field, naming it', () => {
    expect(() => voteNullifier(secret, SCALAR_FIELD)).toThrow(/proposalId/);
  });
});
