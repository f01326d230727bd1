import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../testing/api-fixtures.js';
import {
  closeVoting,
  GOVERNANCE_ENV,
  openedProposal,
  registeredVoter,
  stakedAccount,
  VOTER_SCOPES,
} from '../../testing/governance-fixtures.js';
import { ledgerApp } from '../../testing/ledger-app.js';
import { openUserAccounts, useLedgerDatabase } from '../../testing/ledger-database.js';
import { runGovernanceOnce } from '../workers/governance-worker.js';
import { proveVote, type VoteProof } from '../zk/prove-vote.js';
import { SnapshotTree } from '../zk/snapshot-tree.js';

const db = useLedgerDatabase('governance_tally_property');
let call: Call;
const STAKES = ['3', '17.9', '40', '100', '250'];
const voters: { owner: string; account: string }[] = [];
/** An AIA_GOV account with nothing staked: never in a snapshot. */
let outsider: string;
/** Registered voters, who vote privately with a proof made per proposal. */
const PRIVATE_STAKES = ['60', '9'];
const privateVoters: Awaited<ReturnType<typeof registeredVoter>>[] = [];

beforeAll(async () => {
  call = ledgerApp(db.sql, { env: GOVERNANCE_ENV }).call;
  for (const [index, staked] of STAKES.entries()) {
    const owner = `voter-${index}`;
    voters.push({ owner, account: await stakedAccount(db.sql, call, { owner, staked }) });
  }
  for (const [index, staked] of PRIVATE_STAKES.entries()) {
    privateVoters.push(await registeredVoter(db.sql, call, { owner: `private-${index}`, staked }));
  }
  [outsider] = (await openUserAccounts(db.sql, 1, 'outsider', 'AIA_GOV')) as [string];
});

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

const CHOICES = ['for', 'against', 'abstain'] as const;

/** One vote attempt: by the account's owner, by someone else (refused), or by an outsider (refused). */
const attempt = fc.record({
  voter: fc.nat({ max: STAKES.length - 1 }),
  choice: fc.constantFrom(...CHOICES),
  by: fc.constantFrom('owner', 'owner', 'owner', 'stranger', 'outsider'),
});

type Attempt = { voter: number; choice: (typeof CHOICES)[number]; by: string };

/** Sends one signed vote attempt: by the account's owner, a stranger, or for the outsider. */
function sendSigned(proposalId: string, { voter, choice, by }: Attempt) {
  const target = voters[voter] as (typeof voters)[number];
  const account = by === 'outsider' ? outsider : target.account;
  const as = by === 'owner' ? target.owner : by === 'outsider' ? 'outsider' : 'stranger';
  return call('POST', `/governance/proposals/${proposalId}/votes`, {
    as,
    scope: VOTER_SCOPES,
    body: { mode: 'signed', account_id: account, choice },
  });
}

/** The weight per choice of the accepted replies; every other reply is a refusal. */
function acceptedSums(replies: Awaited<ReturnType<Call>>[]) {
  const sums = { for: 0n, against: 0n, abstain: 0n };
  for (const reply of replies) {
    if (reply.status === 201) {
      sums[reply.body.vote.choice as keyof typeof sums] += BigInt(reply.body.vote.weight);
    } else {
      expect([403, 409, 422], JSON.stringify(reply.body)).toContain(reply.status);
    }
  }
  return { ...sums, total: sums.for + sums.against + sums.abstain };
}

/** Closes voting, runs the tally once, and reads the proposal back. */
async function talliedAfterClose(proposalId: string) {
  await closeVoting(db.sql, proposalId);
  await runGovernanceOnce(db.sql, 0);
  const reply = await call('GET', `/governance/proposals/${proposalId}`, {
    as: 'viewer',
    scope: 'governance:read',
  });
  return reply.body.proposal;
}

/**
 * One private voter's ballot on a run's proposal: the choice and tier proved, and what is sent:
 * the proof `copies` times (one counts, replays are refused), or with its choice changed (refused).
 */
const privateBallot = fc.record({
  choice: fc.constantFrom(...CHOICES),
  tierShare: fc.integer({ min: 0, max: 100 }),
  copies: fc.integer({ min: 0, max: 3 }),
  tampered: fc.boolean(),
});

async function proved(
  voter: (typeof privateVoters)[number],
  proposal: Awaited<ReturnType<typeof openedProposal>>,
  tree: SnapshotTree,
  ballot: { choice: (typeof CHOICES)[number]; tierShare: number },
): Promise<VoteProof> {
  return proveVote({
    secret: voter.secret,
    weight: voter.weight,
    tier: (voter.weight * BigInt(ballot.tierShare)) / 100n,
    path: tree.path(tree.indexOf(voter.leaf)),
    root: tree.root,
    proposalId: BigInt(proposal.proposal_field),
    choice: ballot.choice,
  });
}

describe('the tally', () => {
  it('equals the sum of the accepted votes, whatever mix of accepted and refused votes is sent at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(attempt, { maxLength: 14 }),
        fc.nat({ max: 500 }),
        async (attempts, quorum) => {
          const opener = voters[STAKES.length - 1] as (typeof voters)[number];
          const proposal = await openedProposal(call, opener.owner, opener.account, {
            modes: ['signed'],
            quorum: String(quorum),
          });
          const replies = await Promise.all(attempts.map((one) => sendSigned(proposal.id, one)));
          const expected = acceptedSums(replies);
          // Each voter who tried as owner is counted exactly once.
          const owners = new Set(attempts.filter((a) => a.by === 'owner').map((a) => a.voter));
          expect(replies.filter((reply) => reply.status === 201)).toHaveLength(owners.size);

          const shown = await talliedAfterClose(proposal.id);
          const total = expected.total;
          expect(shown.tally).toEqual({
            for: `${expected.for}`,
            against: `${expected.against}`,
            abstain: `${expected.abstain}`,
            total: `${total}`,
            quorum_reached: total >= BigInt(quorum),
          });
          const passed = total >= BigInt(quorum) && expected.for > expected.against;
          expect(shown.state).toBe(passed ? 'passed' : 'rejected');
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it('equals the sum of the accepted votes when private proofs, replays, altered proofs and signed votes arrive at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(privateBallot, privateBallot),
        fc.array(attempt, { maxLength: 6 }),
        async (ballots, attempts) => {
          const opener = voters[STAKES.length - 1] as (typeof voters)[number];
          const proposal = await openedProposal(call, opener.owner, opener.account, {
            modes: ['private', 'signed'],
          });
          const snapshot = await call('GET', `/governance/proposals/${proposal.id}/snapshot`, {
            as: 'viewer',
            scope: 'governance:read',
          });
          const tree = new SnapshotTree(snapshot.body.leaves.map((leaf: string) => BigInt(leaf)));
          const sends: (() => ReturnType<Call>)[] = [];
          let provedVoters = 0;
          for (const [index, ballot] of ballots.entries()) {
            if (ballot.copies === 0 && !ballot.tampered) continue;
            const vote = await proved(
              privateVoters[index] as (typeof privateVoters)[number],
              proposal,
              tree,
              ballot,
            );
            const send = (choice: string) => () =>
              call('POST', '/governance/private-votes', {
                body: {
                  proposal_id: proposal.id,
                  proof: vote.proof,
                  public_signals: vote.publicSignals,
                  choice,
                },
              });
            for (let copy = 0; copy < ballot.copies; copy++) sends.push(send(ballot.choice));
            if (ballot.tampered) {
              sends.push(
                send(CHOICES[(CHOICES.indexOf(ballot.choice) + 1) % CHOICES.length] as string),
              );
            }
            if (ballot.copies > 0) provedVoters++;
          }
          for (const one of attempts) sends.push(() => sendSigned(proposal.id, one));
          const replies = await Promise.all(sends.map((send) => send()));
          const expected = acceptedSums(replies);
          // Each private voter who sent their proof counts once, at their tier; each owner once.
          const owners = new Set(attempts.filter((a) => a.by === 'owner').map((a) => a.voter));
          const accepted = replies.filter((reply) => reply.status === 201);
          expect(accepted).toHaveLength(owners.size + provedVoters);
          const privateWeights = accepted
            .filter((reply) => reply.body.vote.mode === 'private')
            .map((reply) => reply.body.vote.weight)
            .sort();
          const tiers = ballots
            .map((ballot, index) =>
              ballot.copies > 0
                ? (
                    ((privateVoters[index]?.weight ?? 0n) * BigInt(ballot.tierShare)) /
                    100n
                  ).toString()
                : undefined,
            )
            .filter((tier) => tier !== undefined)
            .sort();
          expect(privateWeights).toEqual(tiers);

          const shown = await talliedAfterClose(proposal.id);
          expect(shown.tally).toMatchObject({
            for: `${expected.for}`,
            against: `${expected.against}`,
            abstain: `${expected.abstain}`,
            total: `${expected.total}`,
          });
        },
      ),
      { numRuns: 4 },
    );
  }, 180_000);
});
