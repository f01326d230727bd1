import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../platform/transactions.js';
import { accountOf, type Call } from '../../testing/api-fixtures.js';
import {
  closeVoting,
  endTimelock,
  GOVERNANCE_ENV,
  openedProposal,
  stakedAccount,
  VOTER_SCOPES,
} from '../../testing/governance-fixtures.js';
import { ledgerApp } from '../../testing/ledger-app.js';
import { openUserAccounts, useLedgerDatabase } from '../../testing/ledger-database.js';
import { executionTransferId, payTreasuryTransfer } from '../operations/execute-proposal.js';
import { findProposal } from '../repository/proposal-store.js';
import { runGovernanceOnce } from './governance-worker.js';

const TIMELOCK_SECONDS = 3600;
const db = useLedgerDatabase('governance_worker');
let call: Call;
let voter: string;
let against: string;
let even: string;

const as = (owner: string) => ({ as: owner, scope: VOTER_SCOPES });
const run = () => runGovernanceOnce(db.sql, TIMELOCK_SECONDS);

beforeAll(async () => {
  call = ledgerApp(db.sql, { env: GOVERNANCE_ENV }).call;
  voter = await stakedAccount(db.sql, call, { owner: 'gil', staked: '300' });
  against = await stakedAccount(db.sql, call, { owner: 'hal', staked: '100' });
  even = await stakedAccount(db.sql, call, { owner: 'ivy', staked: '100.9' });
});

/** Opens a proposal, votes on it as given (signed), and closes its voting period. */
async function votedAndClosed(extra: Record<string, unknown>, votes: [string, string, string][]) {
  const proposal = await openedProposal(call, 'gil', voter, { modes: ['signed'], ...extra });
  for (const [owner, account, choice] of votes) {
    const reply = await call('POST', `/governance/proposals/${proposal.id}/votes`, {
      ...as(owner),
      body: { mode: 'signed', account_id: account, choice },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  }
  await closeVoting(db.sql, proposal.id);
  return proposal;
}

const proposalOf = async (id: string) =>
  (await call('GET', `/governance/proposals/${id}`, as('gil'))).body.proposal;

async function transfersWithId(id: string): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from transfers where id = ${id}`;
  return row?.n ?? 0;
}

async function transferProposal(amount: string) {
  const [recipient] = (await openUserAccounts(db.sql, 1, 'rita', 'AIA')) as [string];
  const proposal = await votedAndClosed(
    {
      kind: 'treasury_transfer',
      quorum: '150',
      action: { to_account_id: recipient, amount, ledger: 'AIA' },
    },
    [
      ['gil', voter, 'for'],
      ['hal', against, 'against'],
    ],
  );
  return { proposal, recipient };
}

describe('the governance worker', () => {
  it('tallies once, then pays a passed treasury transfer after its timelock, exactly once', async () => {
    const { proposal, recipient } = await transferProposal('25');
    expect(await proposalOf(proposal.id)).toMatchObject({ state: 'closed' });
    expect((await run()).tallied).toBeGreaterThanOrEqual(1);
    const tallied = await proposalOf(proposal.id);
    expect(tallied).toMatchObject({
      state: 'passed',
      tally: { for: '300', against: '100', abstain: '0', total: '400', quorum_reached: true },
    });
    expect(Date.parse(tallied.executes_at) - Date.parse(tallied.closes_at)).toBe(
      TIMELOCK_SECONDS * 1000,
    );
    // The timelock holds it: a second run neither tallies again nor pays.
    expect(await run()).toEqual({ tallied: 0, executed: 0 });
    expect((await accountOf(call, recipient)).balance).toBe('0');

    await endTimelock(db.sql, proposal.id);
    expect(await run()).toEqual({ tallied: 0, executed: 1 });
    expect(await run()).toEqual({ tallied: 0, executed: 0 });
    expect((await accountOf(call, recipient)).balance).toBe('25');
    expect(await proposalOf(proposal.id)).toMatchObject({
      state: 'executed',
      execution_transfer_id: executionTransferId(proposal.id),
    });
    const [audit] = await db.sql`
      select a.actor, a.action from transfers t join audit_log a on a.id = t.audit_id
       where t.id = ${executionTransferId(proposal.id)}`;
    expect(audit).toEqual({ actor: 'system:governance', action: 'governance.execute' });
  });

  it('pays once when a run crashed between the ledger transfer and the proposal update', async () => {
    const { proposal, recipient } = await transferProposal('7');
    await run();
    await endTimelock(db.sql, proposal.id);
    // The transfer committed, the proposal was never marked executed: what a crash leaves.
    const row = await findProposal(db.sql, proposal.id);
    await inTransaction(db.sql, async (tx) => {
      expect(await payTreasuryTransfer(tx, row as NonNullable<typeof row>)).toEqual({
        transferId: executionTransferId(proposal.id),
      });
    });
    expect(await proposalOf(proposal.id)).toMatchObject({ state: 'passed' });
    expect(await run()).toEqual({ tallied: 0, executed: 1 });
    expect(await run()).toEqual({ tallied: 0, executed: 0 });
    expect((await accountOf(call, recipient)).balance).toBe('7');
    expect(await transfersWithId(executionTransferId(proposal.id))).toBe(1);
    expect(await proposalOf(proposal.id)).toMatchObject({ state: 'executed' });
  });

  it('records why the ledger refused a transfer the treasury cannot pay, and does not retry it', async () => {
    const { proposal, recipient } = await transferProposal('2000000000');
    await run();
    await endTimelock(db.sql, proposal.id);
    expect(await run()).toEqual({ tallied: 0, executed: 1 });
    expect(await run()).toEqual({ tallied: 0, executed: 0 });
    const shown = await proposalOf(proposal.id);
    expect(shown.state).toBe('passed');
    expect(shown.execution_refusal).toMatch(/exceeds/);
    expect((await accountOf(call, recipient)).balance).toBe('0');
    expect(await transfersWithId(executionTransferId(proposal.id))).toBe(0);
  });

  it('two workers at once tally a proposal once', async () => {
    const proposal = await votedAndClosed({ quorum: '1' }, [['gil', voter, 'for']]);
    const runs = await Promise.all([run(), run()]);
    expect(runs.reduce((sum, result) => sum + result.tallied, 0)).toBe(1);
    expect(await proposalOf(proposal.id)).toMatchObject({ state: 'passed' });
  });

  it('records a passed parameter change, shown with the proposal that set it', async () => {
    const proposal = await votedAndClosed(
      { kind: 'parameter_change', action: { name: 'epoch_reward_budget_aia', value: '5000' } },
      [['gil', voter, 'for']],
    );
    await run();
    expect(await proposalOf(proposal.id)).toMatchObject({ state: 'executed' });
    const reply = await call('GET', '/governance/parameters', as('gil'));
    expect(reply.body.parameters).toContainEqual(
      expect.objectContaining({
        name: 'epoch_reward_budget_aia',
        value: '5000',
        proposal_id: proposal.id,
      }),
    );
  });

  it('rejects a proposal short of its quorum, and a tie between for and against', async () => {
    const short = await votedAndClosed({ quorum: '1000' }, [['gil', voter, 'for']]);
    const tied = await votedAndClosed({ quorum: '1' }, [
      ['hal', against, 'for'],
      ['ivy', even, 'against'],
    ]);
    await run();
    expect(await proposalOf(short.id)).toMatchObject({
      state: 'rejected',
      tally: { total: '300', quorum_reached: false },
    });
    expect(await proposalOf(tied.id)).toMatchObject({
      state: 'rejected',
      tally: { for: '100', against: '100', quorum_reached: true },
    });
  });
});
