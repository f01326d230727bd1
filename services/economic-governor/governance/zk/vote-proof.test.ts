import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVoterSecret, snapshotLeaf, voterIdentity } from './commitment.js';
import { BASE_FIELD, SCALAR_FIELD } from './field.js';
import { voteNullifier } from './nullifier.js';
import { proveVote, VoteNotProvable, type VoteProof } from './prove-vote.js';
import { SnapshotTree } from './snapshot-tree.js';
import { readVerificationKey, type VoteExpectation, verifyVote } from './verify-vote.js';

const PROPOSAL = 4242n;
const OTHER_PROPOSAL = 4243n;
const WEIGHTS = [500n, 1_250n, 75n, 9_000n, 3n];
const VOTER = 1;

const voters = WEIGHTS.map((weight) => ({ secret: newVoterSecret(), weight }));
// As the server builds it: each leaf from a registered identity and the stake it checked.
const snapshot = new SnapshotTree(
  voters.map((voter) => snapshotLeaf(voterIdentity(voter.secret), voter.weight)),
);
const voter = voters[VOTER] as (typeof voters)[number];
const verificationKey = readVerificationKey();
const expectation: VoteExpectation = { root: snapshot.root, proposalId: PROPOSAL, choice: 'for' };

const withSignal = (vote: VoteProof, index: number, value: bigint): string[] =>
  vote.publicSignals.map((signal, at) => (at === index ? value.toString() : signal));

afterAll(async () => {
  // snarkjs keeps worker threads for the curve alive until told otherwise.
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe('a private vote proved by a voter in the snapshot', () => {
  let vote: VoteProof;
  let tiered: VoteProof;
  beforeAll(async () => {
    const witness = {
      secret: voter.secret,
      weight: voter.weight,
      path: snapshot.path(VOTER),
      root: snapshot.root,
      proposalId: PROPOSAL,
    };
    vote = await proveVote({ ...witness, choice: 'for' });
    tiered = await proveVote({ ...witness, choice: 'abstain', tier: 1_000n });
  });

  it('verifies, and makes public only root, proposal, nullifier, choice and tier', async () => {
    const verdict = await verifyVote(verificationKey, vote, expectation);
    expect(verdict).toEqual({
      ok: true,
      statement: {
        root: snapshot.root,
        proposalId: PROPOSAL,
        nullifier: voteNullifier(voter.secret, PROPOSAL),
        choice: 1n,
        tier: voter.weight,
      },
    });
    const published = JSON.stringify({ proof: vote.proof, publicSignals: vote.publicSignals });
    expect(published).not.toContain(voter.secret.toString());
  });

  it('verifies a tier below the weight, counting the tier and not the weight', async () => {
    const verdict = await verifyVote(verificationKey, tiered, {
      root: snapshot.root,
      proposalId: PROPOSAL,
      choice: 'abstain',
    });
    expect(verdict.ok && verdict.statement.tier).toBe(1_000n);
  });

  it.each([
    ['another proposal', 1, OTHER_PROPOSAL, { proposalId: OTHER_PROPOSAL }],
    ['another root', 0, 12345n, { root: 12345n }],
    ['a changed vote', 3, 0n, { choice: 'against' }],
    ['another nullifier', 2, voteNullifier(voter.secret, OTHER_PROPOSAL), {}],
    ['a larger tier', 4, 9_000n, {}],
  ] as const)(
    'refuses the valid proof with %s in its public signals',
    async (_, index, value, expected) => {
      const verdict = await verifyVote(
        verificationKey,
        { proof: vote.proof, publicSignals: withSignal(vote, index, value) },
        { ...expectation, ...expected },
      );
      expect(verdict).toMatchObject({ ok: false, reason: 'invalid_proof' });
    },
  );

  it('refuses a proof presented for another proposal or another snapshot, before any pairing', async () => {
    expect(
      await verifyVote(verificationKey, vote, { ...expectation, proposalId: OTHER_PROPOSAL }),
    ).toMatchObject({
      ok: false,
      reason: 'wrong_proposal',
    });
    expect(await verifyVote(verificationKey, vote, { ...expectation, root: 7n })).toMatchObject({
      ok: false,
      reason: 'wrong_root',
    });
  });

  it('refuses a ballot whose claimed choice is not the one proved', async () => {
    expect(
      await verifyVote(verificationKey, vote, { ...expectation, choice: 'against' }),
    ).toMatchObject({
      ok: false,
      reason: 'choice_mismatch',
    });
  });

  it('refuses a choice outside for, against and abstain', async () => {
    const verdict = await verifyVote(
      verificationKey,
      { proof: vote.proof, publicSignals: withSignal(vote, 3, 3n) },
      { root: snapshot.root, proposalId: PROPOSAL },
    );
    expect(verdict).toMatchObject({ ok: false, reason: 'invalid_choice' });
  });

  it('refuses a public signal at or above the scalar field modulus, even one congruent to the proved value', async () => {
    const nullifier = BigInt(vote.publicSignals[2] as string);
    const verdict = await verifyVote(
      verificationKey,
      { proof: vote.proof, publicSignals: withSignal(vote, 2, nullifier + SCALAR_FIELD) },
      expectation,
    );
    expect(verdict).toEqual({
      ok: false,
      reason: 'public_signal_out_of_field',
      message: 'publicSignals[2] (nullifier) is not below the BN254 scalar field modulus',
    });
  });

  it.each([
    ['no proof at all', () => null, /proof must be an object/],
    ['a truncated pi_a', (p: VoteProof['proof']) => ({ ...p, pi_a: p.pi_a.slice(0, 2) }), /pi_a/],
    [
      'a truncated pi_b',
      (p: VoteProof['proof']) => ({ ...p, pi_b: [p.pi_b[0], p.pi_b[1]] }),
      /pi_b/,
    ],
    ['no pi_c', (p: VoteProof['proof']) => ({ ...p, pi_c: undefined }), /pi_c/],
    [
      'a hexadecimal coordinate',
      (p: VoteProof['proof']) => ({ ...p, pi_c: ['0x1', ...p.pi_c.slice(1)] }),
      /pi_c/,
    ],
    [
      'a coordinate outside the base field',
      (p: VoteProof['proof']) => ({ ...p, pi_a: [BASE_FIELD.toString(), ...p.pi_a.slice(1)] }),
      /pi_a/,
    ],
    ['another protocol', (p: VoteProof['proof']) => ({ ...p, protocol: 'plonk' }), /groth16/],
  ] as const)('refuses a malformed proof (%s) with a reason', async (_, corrupt, reason) => {
    const verdict = await verifyVote(
      verificationKey,
      { proof: corrupt(vote.proof), publicSignals: vote.publicSignals },
      expectation,
    );
    expect(verdict).toMatchObject({
      ok: false,
      reason: 'malformed_proof',
      message: expect.stringMatching(reason),
    });
  });

  it('refuses a well-formed proof whose points are not on the curve', async () => {
    const verdict = await verifyVote(
      verificationKey,
      { proof: { ...vote.proof, pi_a: ['1', '3', '1'] }, publicSignals: vote.publicSignals },
      expectation,
    );
    expect(verdict).toMatchObject({ ok: false, reason: 'invalid_proof' });
  });

  it.each([
    ['truncated', (s: string[]) => s.slice(0, 4)],
    ['not a list', () => 'root'],
    ['holding a number', (s: string[]) => [Number(s[0]), ...s.slice(1)]],
  ] as const)('refuses public signals %s with a reason', async (_, corrupt) => {
    const verdict = await verifyVote(
      verificationKey,
      { proof: vote.proof, publicSignals: corrupt(vote.publicSignals) },
      expectation,
    );
    expect(verdict).toMatchObject({ ok: false, reason: 'malformed_public_signals' });
  });
});

describe('a voter who cannot prove', () => {
  it('is refused by the circuit when their identity is not in the snapshot', async () => {
    const outsider = newVoterSecret();
    await expect(
      proveVote({
        secret: outsider,
        weight: voter.weight,
        path: snapshot.path(VOTER),
        root: snapshot.root,
        proposalId: PROPOSAL,
        choice: 'for',
      }),
    ).rejects.toThrow(VoteNotProvable);
  });

  it('is refused by the circuit when claiming a tier above their weight', async () => {
    await expect(
      proveVote({
        secret: voter.secret,
        weight: voter.weight,
        path: snapshot.path(VOTER),
        root: snapshot.root,
        proposalId: PROPOSAL,
        choice: 'for',
        tier: voter.weight + 1n,
      }),
    ).rejects.toThrow(VoteNotProvable);
  });

  it('cannot pass off a larger weight than their leaf carries', async () => {
    await expect(
      proveVote({
        secret: voter.secret,
        weight: voter.weight * 10n,
        path: snapshot.path(VOTER),
        root: snapshot.root,
        proposalId: PROPOSAL,
        choice: 'for',
      }),
    ).rejects.toThrow(VoteNotProvable);
  });

  it('cannot shorten the proof so that an inner node stands for the root', async () => {
    const path = snapshot.path(VOTER);
    await expect(
      proveVote({
        secret: voter.secret,
        weight: voter.weight,
        path: { ...path, depth: path.depth - 1 },
        root: snapshot.root,
        proposalId: PROPOSAL,
        choice: 'for',
      }),
    ).rejects.toThrow(VoteNotProvable);
  });

  it('cannot claim a depth above 20, which fits 5 bits but reaches root 0', async () => {
    const path = snapshot.path(VOTER);
    await expect(
      proveVote({
        secret: voter.secret,
        weight: voter.weight,
        path: { ...path, depth: 21 },
        root: 0n,
        proposalId: PROPOSAL,
        choice: 'for',
      }),
    ).rejects.toThrow(VoteNotProvable);
  });

  it('cannot claim a depth that wraps around the field to reach root 0', async () => {
    const path = snapshot.path(VOTER);
    await expect(
      proveVote({
        secret: voter.secret,
        weight: voter.weight,
        path: { ...path, depth: (SCALAR_FIELD - 1n) as unknown as number },
        root: 0n,
        proposalId: PROPOSAL,
        choice: 'for',
      }),
    ).rejects.toThrow(VoteNotProvable);
  });
});

describe('root 0, the empty snapshot', () => {
  it('is refused by the verifier whatever the proof', async () => {
    const empty = await verifyVote(
      verificationKey,
      { proof: {}, publicSignals: [] },
      {
        root: 0n,
        proposalId: PROPOSAL,
      },
    );
    expect(empty).toMatchObject({ ok: false });
    const signals = ['0', PROPOSAL.toString(), '1', '1', '1'];
    const zeroRoot = await verifyVote(
      verificationKey,
      {
        proof: {
          pi_a: ['1', '2', '1'],
          pi_b: [
            ['1', '2'],
            ['3', '4'],
            ['1', '0'],
          ],
          pi_c: ['1', '2', '1'],
          protocol: 'groth16',
          curve: 'bn128',
        },
        publicSignals: signals,
      },
      { root: 0n, proposalId: PROPOSAL },
    );
    expect(zeroRoot).toMatchObject({
      ok: false,
      reason: 'wrong_root',
      message: expect.stringMatching(/empty snapshot/),
    });
  });
});

describe('a snapshot of one voter', () => {
  it('proves and verifies with a proof of depth 0 (the leaf is the root)', async () => {
    const alone = { secret: newVoterSecret(), weight: 42n };
    const tree = new SnapshotTree([snapshotLeaf(voterIdentity(alone.secret), alone.weight)]);
    expect(tree.path(0).depth).toBe(0);
    const vote = await proveVote({
      ...alone,
      path: tree.path(0),
      root: tree.root,
      proposalId: PROPOSAL,
      choice: 'against',
    });
    const verdict = await verifyVote(verificationKey, vote, {
      root: tree.root,
      proposalId: PROPOSAL,
      choice: 'against',
    });
    expect(verdict).toMatchObject({ ok: true, statement: { tier: 42n } });
  });
});
