import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownershipArtifacts } from './artifacts.js';
import { newVoterSecret, voterIdentity } from './commitment.js';
import { voteNullifier } from './nullifier.js';
import { type OwnershipProof, proveOwnership, verifyOwnership } from './ownership.js';
import { readVerificationKey } from './verify-vote.js';

const PROPOSAL = 777n;
const secret = newVoterSecret();
const identity = voterIdentity(secret);
const key = readVerificationKey(ownershipArtifacts.verificationKey);
let owned: OwnershipProof;

beforeAll(async () => {
  owned = await proveOwnership({ secret, proposalId: PROPOSAL });
});

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe('an ownership proof', () => {
  it("verifies the leaf's nullifier for its identity, the one a private vote would publish", async () => {
    expect(owned.nullifier).toBe(voteNullifier(secret, PROPOSAL));
    const verdict = await verifyOwnership(key, { identity, proposalId: PROPOSAL }, owned);
    expect(verdict).toEqual({ ok: true, nullifier: owned.nullifier });
    expect(JSON.stringify(owned.proof)).not.toContain(secret.toString());
  });

  it.each([
    ['another identity', { identity: voterIdentity(newVoterSecret()), proposalId: PROPOSAL }, {}],
    ['another proposal', { identity, proposalId: PROPOSAL + 1n }, {}],
    ['another nullifier', { identity, proposalId: PROPOSAL }, { otherNullifier: true }],
  ] as const)('is refused for %s', async (_, expected, change) => {
    const nullifier =
      'otherNullifier' in change ? voteNullifier(newVoterSecret(), PROPOSAL) : owned.nullifier;
    const verdict = await verifyOwnership(key, expected, { nullifier, proof: owned.proof });
    expect(verdict).toMatchObject({ ok: false, reason: 'invalid_ownership' });
  });

  it('is refused, with the field named, when malformed', async () => {
    const expected = { identity, proposalId: PROPOSAL };
    expect(
      await verifyOwnership(key, expected, { nullifier: 'x', proof: owned.proof }),
    ).toMatchObject({ ok: false, reason: 'malformed_ownership', message: /ownership.nullifier/ });
    expect(
      await verifyOwnership(key, expected, { nullifier: owned.nullifier.toString(), proof: {} }),
    ).toMatchObject({ ok: false, reason: 'malformed_ownership', message: /ownership.proof/ });
  });
});
