import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../testing/api-fixtures.js';
import {
  closeVoting,
  GOVERNANCE_ENV,
  openedProposal,
  stakedAccount,
  VOTER_SCOPES,
} from '../../testing/governance-fixtures.js';
import { ledgerApp } from '../../testing/ledger-app.js';
import { openUserAccounts, useLedgerDatabase } from '../../testing/ledger-database.js';
import { runGovernanceOnce } from '../workers/governance-worker.js';

const db = useLedgerDatabase('governance_tally_property');
let call: Call;
const STAKES = ['3', '17.9', '40', '100', '250'];
const voters: { owner: string; account: string }[] = [];
/** An AIA_GOV account with nothing staked: never in a snapshot. */
let outsider: string;

beforeAll(async () => {
  call = ledgerApp(db.sql, { env: GOVERNANCE_ENV }).call;
  for (const [index, staked] of STAKES.entries()) {
    const owner = `voter-${index}`;
    voters.push({ owner, account: await stakedAccount(db.sql, call, { owner, staked }) });
  }
  [outsider] = (await openUserAccounts(db.sql, 1, 'outsider', 'AIA_GOV')) as [string];
});

const CHOICES = ['for', 'against', 'abstain'] as const;

/** One vote attempt: by the account's owner, by someone else (refused), or by an outsider (refused). */
const attempt = fc.record({
  voter: fc.nat({ max: STAKES.length - 1 }),
  choice: fc.constantFrom(...CHOICES),
  by: fc.constantFrom('owner', 'owner', 'owner', 'stranger', 'outsider'),
});

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
          const replies = await Promise.all(
            attempts.map(({ voter, choice, by }) => {
              const target = voters[voter] as (typeof voters)[number];
              const account = by === 'outsider' ? outsider : target.account;
              const as =
                by === 'owner' ? target.owner : by === 'outsider' ? 'outsider' : 'stranger';
              return call('POST', `/governance/proposals/${proposal.id}/votes`, {
                as,
                scope: VOTER_SCOPES,
                body: { mode: 'signed', account_id: account, choice },
              });
            }),
          );
          const expected = { for: 0n, against: 0n, abstain: 0n };
          for (const reply of replies) {
            if (reply.status === 201) {
              expected[reply.body.vote.choice as keyof typeof expected] += BigInt(
                reply.body.vote.weight,
              );
            } else {
              expect([403, 409, 422]).toContain(reply.status);
            }
          }
          // Each voter who tried as owner is counted exactly once.
          const owners = new Set(attempts.filter((a) => a.by === 'owner').map((a) => a.voter));
          expect(replies.filter((reply) => reply.status === 201)).toHaveLength(owners.size);

          await closeVoting(db.sql, proposal.id);
          await runGovernanceOnce(db.sql, 0);
          const shown = (
            await call('GET', `/governance/proposals/${proposal.id}`, {
              as: 'viewer',
              scope: 'governance:read',
            })
          ).body.proposal;
          const total = expected.for + expected.against + expected.abstain;
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
});
