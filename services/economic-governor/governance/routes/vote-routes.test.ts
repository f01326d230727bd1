import { poseidon2 } from 'poseidon-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, expectProblem, type Reply } from '../../testing/api-fixtures.js';
import {
  closeVoting,
  GOVERNANCE_ENV,
  openedProposal,
  registeredVoter,
  stakedAccount,
  VOTER_SCOPES,
  voteCount,
} from '../../testing/governance-fixtures.js';
import { ledgerApp } from '../../testing/ledger-app.js';
import { useLedgerDatabase } from '../../testing/ledger-database.js';
import { runGovernanceOnce } from '../workers/governance-worker.js';
import { MAX_WEIGHT, newVoterSecret, snapshotLeaf } from '../zk/commitment.js';
import { SCALAR_FIELD } from '../zk/field.js';
import { voteNullifier } from '../zk/nullifier.js';
import { proveOwnership } from '../zk/ownership.js';
import { proveVote, VoteNotProvable, type VoteProof } from '../zk/prove-vote.js';
import { SnapshotTree } from '../zk/snapshot-tree.js';
import type { VoteChoice } from '../zk/vote-signals.js';

const db = useLedgerDatabase('governance_votes');
let call: Call;
type Voter = Awaited<ReturnType<typeof registeredVoter>>;
type Proposal = Awaited<ReturnType<typeof openedProposal>>;
let ada: Voter;
let ben: Voter;
let calAccount: string;
/** Two proposals over the same snapshot (same root), both modes. */
let first: Proposal;
let second: Proposal;
/** Opened after one more voter registered: another root. */
let later: Proposal;
let signedOnly: Proposal;
let closed: Proposal;
/** ada's vote for `first`; ben's against `second`. */
let adaFor: VoteProof;
let benAgainst: VoteProof;

const as = (owner: string) => ({ as: owner, scope: VOTER_SCOPES });

async function snapshotTree(proposal: Proposal): Promise<SnapshotTree> {
  const snapshot = await call('GET', `/governance/proposals/${proposal.id}/snapshot`, as('ada'));
  return new SnapshotTree(snapshot.body.leaves.map((leaf: string) => BigInt(leaf)));
}

/** A signed vote's ownership proof for `voter` on `proposal`, as the API takes it. */
async function ownershipOf(voter: Voter, proposal: Proposal) {
  const { nullifier, proof } = await proveOwnership({
    secret: voter.secret,
    proposalId: BigInt(proposal.proposal_field),
  });
  return { nullifier: nullifier.toString(), proof };
}

async function prove(voter: Voter, proposal: Proposal, choice: VoteChoice): Promise<VoteProof> {
  const tree = await snapshotTree(proposal);
  return proveVote({
    secret: voter.secret,
    weight: voter.weight,
    path: tree.path(tree.indexOf(voter.leaf)),
    root: tree.root,
    proposalId: BigInt(proposal.proposal_field),
    choice,
  });
}

const privateVote = (
  proposal: Proposal,
  vote: { proof: unknown; publicSignals: unknown },
  choice: VoteChoice,
) =>
  call('POST', `/governance/proposals/${proposal.id}/votes`, {
    ...as('anyone'),
    body: { mode: 'private', proof: vote.proof, public_signals: vote.publicSignals, choice },
  });

const signedVote = (proposal: Proposal, owner: string, body: Record<string, unknown>) =>
  call('POST', `/governance/proposals/${proposal.id}/votes`, {
    ...as(owner),
    body: { mode: 'signed', ...body },
  });

/** Sends a vote, asserts the problem, and that no vote was counted on the proposal. */
async function expectRefused(
  proposal: Proposal,
  send: () => Promise<Reply>,
  status: number,
  code: string,
  field?: string,
): Promise<void> {
  const before = await voteCount(db.sql, proposal.id);
  expectProblem(await send(), status, code, field);
  expect(await voteCount(db.sql, proposal.id)).toBe(before);
}

const withSignal = (vote: VoteProof, index: number, value: string) => ({
  proof: vote.proof,
  publicSignals: vote.publicSignals.map((signal, at) => (at === index ? value : signal)),
});

beforeAll(async () => {
  call = ledgerApp(db.sql, { env: GOVERNANCE_ENV }).call;
  ada = await registeredVoter(db.sql, call, { owner: 'ada', staked: '200' });
  ben = await registeredVoter(db.sql, call, { owner: 'ben', staked: '150' });
  calAccount = await stakedAccount(db.sql, call, { owner: 'cal', staked: '50.5' });
  first = await openedProposal(call, 'ada', ada.account);
  second = await openedProposal(call, 'ada', ada.account);
  signedOnly = await openedProposal(call, 'ada', ada.account, { modes: ['signed'] });
  closed = await openedProposal(call, 'ada', ada.account);
  await closeVoting(db.sql, closed.id);
  await registeredVoter(db.sql, call, { owner: 'dan', staked: '10' });
  later = await openedProposal(call, 'ada', ada.account);
  expect(second.root).toBe(first.root);
  expect(later.root).not.toBe(first.root);
  // Real proofs take seconds each: two, shared by every assertion below.
  adaFor = await prove(ada, first, 'for');
  benAgainst = await prove(ben, second, 'against');
}, 120_000);

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe('a private vote counts at most the stake the snapshot put in the leaf', () => {
  it('gives no proof to a voter who registered a commitment to a weight of their choosing', async () => {
    // The attack the old scheme allowed: register Poseidon(secret, 2^64 - 1) with 1 AIA_GOV staked.
    const eve = await stakedAccount(db.sql, call, { owner: 'eve', staked: '1' });
    const secret = newVoterSecret();
    const inflated = poseidon2([secret, MAX_WEIGHT]);
    const registered = await call('PUT', `/governance/voters/${eve}`, {
      ...as('eve'),
      body: { commitment: inflated.toString() },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const proposal = await openedProposal(call, 'ada', ada.account);
    const tree = await snapshotTree(proposal);
    const leaf = tree.indexOf(snapshotLeaf(inflated, 1n));
    expect(leaf).toBeGreaterThanOrEqual(0);
    for (const weight of [MAX_WEIGHT, 1n]) {
      await expect(
        proveVote({
          secret,
          weight,
          path: tree.path(leaf),
          root: tree.root,
          proposalId: BigInt(proposal.proposal_field),
          choice: 'for',
        }),
        `weight ${weight}`,
      ).rejects.toThrow(VoteNotProvable);
    }
  });

  it('gives no proof above the leaf weight to a registered voter', async () => {
    const tree = await snapshotTree(later);
    const proving = (weight: bigint, tier: bigint) =>
      proveVote({
        secret: ben.secret,
        weight,
        tier,
        path: tree.path(tree.indexOf(ben.leaf)),
        root: tree.root,
        proposalId: BigInt(later.proposal_field),
        choice: 'for',
      });
    await expect(proving(ben.weight, ben.weight + 1n)).rejects.toThrow(VoteNotProvable);
    await expect(proving(MAX_WEIGHT, MAX_WEIGHT)).rejects.toThrow(VoteNotProvable);
  });
});

describe('proposals that take no private vote', () => {
  it('refuses a private vote on an empty snapshot (root 0), counting nothing', async () => {
    const empty = await openedProposal(call, 'ada', ada.account);
    await db.sql`update governance_proposals set snapshot_root = '0', snapshot_size = 0
                   where id = ${empty.id}`;
    await expectRefused(
      empty,
      () => privateVote(empty, withSignal(adaFor, 0, '0'), 'for'),
      422,
      'voter_not_in_snapshot',
      'public_signals',
    );
  });

  it('refuses any vote on a voided proposal and never tallies it', async () => {
    const voided = await openedProposal(call, 'ada', ada.account);
    await db.sql`update governance_proposals set voided_reason = 'voided by this test'
                   where id = ${voided.id}`;
    await expectRefused(
      voided,
      () => signedVote(voided, 'cal', { account_id: calAccount, choice: 'for' }),
      409,
      'voting_closed',
    );
    await closeVoting(db.sql, voided.id);
    await runGovernanceOnce(db.sql, 0);
    const shown = await call('GET', `/governance/proposals/${voided.id}`, as('ada'));
    expect(shown.body.proposal).toMatchObject({
      state: 'voided',
      voided_reason: 'voided by this test',
    });
    expect(shown.body.proposal.tally).toBeUndefined();
  });
});

describe('POST /v1/governance/proposals/{id}/votes, private', () => {
  it('counts a valid proof with its tier as the weight, publishing its nullifier', async () => {
    const reply = await privateVote(first, adaFor, 'for');
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.vote).toMatchObject({
      mode: 'private',
      choice: 'for',
      weight: '200',
      nullifier: voteNullifier(ada.secret, BigInt(first.proposal_field)).toString(),
    });
    expect(JSON.stringify(reply.body)).not.toContain(ada.secret.toString());
  });

  it('refuses the same proof again: the nullifier has voted', async () => {
    await expectRefused(
      first,
      () => privateVote(first, adaFor, 'for'),
      409,
      'vote_already_cast',
      'public_signals',
    );
  });

  it('counts one of the same proof sent four times at once', async () => {
    const vote = await prove(ada, later, 'against');
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => privateVote(later, vote, 'against')),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await voteCount(db.sql, later.id)).toBe(1);
  }, 60_000);

  it('counts a private vote sent without any token (the proof is the credential), once', async () => {
    const { app } = ledgerApp(db.sql, { env: GOVERNANCE_ENV });
    const vote = await prove(ben, first, 'against');
    const anonymous = () =>
      app.request('/v1/governance/private-votes', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          proposal_id: first.id,
          proof: vote.proof,
          public_signals: vote.publicSignals,
          choice: 'against',
        }),
      });
    const before = await voteCount(db.sql, first.id);
    const counted = await anonymous();
    expect(counted.status).toBe(201);
    expect(((await counted.json()) as { vote: object }).vote).toMatchObject({
      mode: 'private',
      choice: 'against',
      weight: '150',
    });
    const again = await anonymous();
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toMatch(/vote_already_cast$/);
    expect(await voteCount(db.sql, first.id)).toBe(before + 1);
    // Only that POST is open: the votes route and the proposals still want a token.
    expect((await app.request(`/v1/governance/proposals/${first.id}`)).status).toBe(401);
    const signedWithoutToken = await app.request(`/v1/governance/proposals/${first.id}/votes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ mode: 'signed', account_id: ben.account, choice: 'for' }),
    });
    expect(signedWithoutToken.status).toBe(401);
  }, 60_000);

  it('refuses a valid proof for another proposal over the same snapshot', async () => {
    await expectRefused(second, () => privateVote(second, adaFor, 'for'), 422, 'wrong_proposal');
  });

  it('refuses a valid proof against another snapshot root', async () => {
    await expectRefused(later, () => privateVote(later, adaFor, 'for'), 422, 'wrong_root');
  });

  it('refuses a changed vote: another claimed choice, or an altered choice signal', async () => {
    await expectRefused(
      second,
      () => privateVote(second, benAgainst, 'for'),
      422,
      'choice_mismatch',
      'choice',
    );
    await expectRefused(
      second,
      () => privateVote(second, withSignal(benAgainst, 3, '1'), 'for'),
      422,
      'invalid_proof',
      'proof',
    );
  });

  it('refuses a malformed or truncated proof and truncated signals', async () => {
    const truncated = { ...benAgainst.proof, pi_a: benAgainst.proof.pi_a.slice(0, 2) };
    await expectRefused(
      second,
      () =>
        privateVote(
          second,
          { proof: truncated, publicSignals: benAgainst.publicSignals },
          'against',
        ),
      422,
      'malformed_proof',
      'proof',
    );
    await expectRefused(
      second,
      () =>
        privateVote(second, { proof: 'zk', publicSignals: benAgainst.publicSignals }, 'against'),
      422,
      'malformed_proof',
    );
    await expectRefused(
      second,
      () =>
        privateVote(
          second,
          { proof: benAgainst.proof, publicSignals: benAgainst.publicSignals.slice(0, 4) },
          'against',
        ),
      422,
      'malformed_public_signals',
      'public_signals',
    );
  });

  it('refuses public signals out of the field (the same value plus the modulus)', async () => {
    const nullifier = BigInt(benAgainst.publicSignals[2] as string);
    await expectRefused(
      second,
      () =>
        privateVote(
          second,
          withSignal(benAgainst, 2, (nullifier + SCALAR_FIELD).toString()),
          'against',
        ),
      422,
      'public_signal_out_of_field',
      'public_signals',
    );
  });

  it('refuses a vote after closes_at, and a mode the proposal does not accept', async () => {
    await expectRefused(closed, () => privateVote(closed, adaFor, 'for'), 409, 'voting_closed');
    await expectRefused(
      closed,
      () => signedVote(closed, 'cal', { account_id: calAccount, choice: 'for' }),
      409,
      'voting_closed',
    );
    await expectRefused(
      signedOnly,
      () => privateVote(signedOnly, adaFor, 'for'),
      422,
      'vote_mode_not_accepted',
      'mode',
    );
  });
});

describe('POST /v1/governance/proposals/{id}/votes, signed', () => {
  it('counts an account without a leaf with its whole staked AIA_GOV, once', async () => {
    const reply = await signedVote(first, 'cal', { account_id: calAccount, choice: 'abstain' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.vote).toMatchObject({ mode: 'signed', choice: 'abstain', weight: '50' });
    await expectRefused(
      first,
      () => signedVote(first, 'cal', { account_id: calAccount, choice: 'for' }),
      409,
      'vote_already_cast',
      'account_id',
    );
  });

  it('refuses a signed vote after the same voter voted privately', async () => {
    await expectRefused(
      first,
      () => signedVote(first, 'ada', { account_id: ada.account, choice: 'against' }),
      422,
      'ownership_required',
      'ownership',
    );
    // A valid ownership proof, but for another proposal: its nullifier is not this one's.
    const elsewhere = await ownershipOf(ada, second);
    await expectRefused(
      first,
      () =>
        signedVote(first, 'ada', {
          account_id: ada.account,
          choice: 'against',
          ownership: elsewhere,
        }),
      422,
      'invalid_ownership',
      'ownership',
    );
    // ben's proof presented for ada's account: not ada's identity.
    const bens = await ownershipOf(ben, first);
    await expectRefused(
      first,
      () =>
        signedVote(first, 'ada', { account_id: ada.account, choice: 'against', ownership: bens }),
      422,
      'invalid_ownership',
      'ownership',
    );
    await expectRefused(
      first,
      () =>
        signedVote(first, 'ada', {
          account_id: ada.account,
          choice: 'against',
          ownership: { nullifier: '1', proof: { protocol: 'groth16' } },
        }),
      422,
      'malformed_ownership',
      'ownership',
    );
    const own = await ownershipOf(ada, first);
    await expectRefused(
      first,
      () =>
        signedVote(first, 'ada', { account_id: ada.account, choice: 'against', ownership: own }),
      409,
      'vote_already_cast',
    );
  });

  it('refuses a private vote after the same voter signed, who never gave the secret', async () => {
    const ownership = await ownershipOf(ben, second);
    const signed = await signedVote(second, 'ben', {
      account_id: ben.account,
      choice: 'against',
      ownership,
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(signed.body.vote).toMatchObject({
      weight: '150',
      nullifier: voteNullifier(ben.secret, BigInt(second.proposal_field)).toString(),
    });
    expect(JSON.stringify(ownership)).not.toContain(ben.secret.toString());
    await expectRefused(
      second,
      () => privateVote(second, benAgainst, 'against'),
      409,
      'vote_already_cast',
    );
  });

  it('asks no ownership proof where no private vote could also count, and refuses one sent for nothing', async () => {
    // A signed-only proposal: ada's leaf cannot vote privately there.
    const own = await ownershipOf(ada, signedOnly);
    await expectRefused(
      signedOnly,
      () =>
        signedVote(signedOnly, 'ada', { account_id: ada.account, choice: 'for', ownership: own }),
      422,
      'ownership_not_needed',
      'ownership',
    );
    const counted = await signedVote(signedOnly, 'ada', { account_id: ada.account, choice: 'for' });
    expect(counted.status, JSON.stringify(counted.body)).toBe(201);
    expect(counted.body.vote.nullifier).toBeUndefined();
    // cal has no leaf anywhere.
    await expectRefused(
      later,
      () => signedVote(later, 'cal', { account_id: calAccount, choice: 'for', ownership: own }),
      422,
      'ownership_not_needed',
      'ownership',
    );
  });

  it('refuses a voter not in the snapshot, and a caller who does not own the account', async () => {
    const newcomer = await stakedAccount(db.sql, call, { owner: 'eli', staked: '30' });
    await expectRefused(
      first,
      () => signedVote(first, 'eli', { account_id: newcomer, choice: 'for' }),
      422,
      'voter_not_in_snapshot',
      'account_id',
    );
    await expectRefused(
      second,
      () => signedVote(second, 'mallory', { account_id: calAccount, choice: 'for' }),
      403,
      'forbidden',
    );
  });
});
