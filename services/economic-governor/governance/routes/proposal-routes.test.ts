import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Call, expectProblem } from '../../testing/api-fixtures.js';
import {
  GOVERNANCE_ENV,
  openedProposal,
  proposalBody,
  registeredVoter,
  stakedAccount,
  VOTER_SCOPES,
} from '../../testing/governance-fixtures.js';
import { ledgerApp } from '../../testing/ledger-app.js';
import { treasuryOf, useLedgerDatabase } from '../../testing/ledger-database.js';
import { snapshotLeaf } from '../zk/commitment.js';
import { SCALAR_FIELD } from '../zk/field.js';
import { SnapshotTree } from '../zk/snapshot-tree.js';

const db = useLedgerDatabase('governance_proposals');
let call: Call;
let disabled: Call;

beforeAll(() => {
  call = ledgerApp(db.sql, { stakingLockSeconds: 0, env: GOVERNANCE_ENV }).call;
  disabled = ledgerApp(db.sql, { env: { GOVERNANCE_ENABLED: 'false' } }).call;
});

const as = (owner: string) => ({ as: owner, scope: VOTER_SCOPES });

describe('PUT /v1/governance/voters/{account_id}', () => {
  it('registers one identity per account and replaces it on a second PUT', async () => {
    const voter = await registeredVoter(db.sql, call, { owner: 'vera', staked: '300' });
    const replaced = await call('PUT', `/governance/voters/${voter.account}`, {
      ...as('vera'),
      body: { commitment: '12345' },
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.voter).toMatchObject({ commitment: '12345' });
    expect(replaced.body.voter).not.toHaveProperty('weight');
    const [row] = await db.sql`select count(*)::int as n from governance_voters
                                where account_id = ${voter.account}`;
    expect(row?.n).toBe(1);
  });

  it('refuses a weight in the registration, naming it: the voter does not choose their weight', async () => {
    const account = await stakedAccount(db.sql, call, { owner: 'walt', staked: '10.5' });
    const reply = await call('PUT', `/governance/voters/${account}`, {
      ...as('walt'),
      body: { commitment: '777', weight: '18446744073709551615' },
    });
    expectProblem(reply, 422, 'validation_failed', '(body)', /unknown field\(s\) 'weight'/);
    const [row] = await db.sql`select count(*)::int as n from governance_voters
                                where account_id = ${account}`;
    expect(row?.n).toBe(0);
  });

  it('refuses a commitment outside the field, naming commitment', async () => {
    const account = await stakedAccount(db.sql, call, { owner: 'xena', staked: '5' });
    for (const commitment of [SCALAR_FIELD.toString(), '0']) {
      const reply = await call('PUT', `/governance/voters/${account}`, {
        ...as('xena'),
        body: { commitment },
      });
      expectProblem(reply, 422, 'commitment_out_of_field', 'commitment');
    }
  });

  it("refuses another account's commitment, and a caller who does not own the account", async () => {
    const first = await registeredVoter(db.sql, call, { owner: 'yves', staked: '5' });
    const account = await stakedAccount(db.sql, call, { owner: 'zoe', staked: '5' });
    const body = { commitment: first.commitment.toString() };
    expectProblem(
      await call('PUT', `/governance/voters/${account}`, { ...as('zoe'), body }),
      409,
      'commitment_in_use',
      'commitment',
    );
    expectProblem(
      await call('PUT', `/governance/voters/${account}`, {
        ...as('mallory'),
        body: { commitment: '999' },
      }),
      403,
      'forbidden',
    );
  });
});

describe('POST /v1/governance/proposals', () => {
  it('builds every leaf from a registered identity and the stake at the opening', async () => {
    const ann = await registeredVoter(db.sql, call, { owner: 'ann', staked: '120' });
    const bob = await registeredVoter(db.sql, call, { owner: 'bob', staked: '40' });
    const unregistered = await stakedAccount(db.sql, call, { owner: 'cat', staked: '7' });
    // bob unstakes and stakes less after registering: his leaf weighs what is staked at the opening.
    const [stake] = await db.sql<{ id: string }[]>`
      select id from stakes where account_id = ${bob.account}`;
    expect((await call('POST', `/stakes/${stake?.id}/unstake`, as('bob'))).status).toBe(201);
    const restake = await call('POST', '/stakes', {
      ...as('bob'),
      body: { account_id: bob.account, ledger: 'AIA_GOV', amount: '39.9' },
    });
    expect(restake.status).toBe(201);

    const proposal = await openedProposal(call, 'ann', ann.account);
    expect(proposal).toMatchObject({ state: 'open' });
    const snapshot = await call('GET', `/governance/proposals/${proposal.id}/snapshot`, as('ann'));
    expect(snapshot.status).toBe(200);
    const leaves = snapshot.body.leaves as string[];
    const annAt = leaves.indexOf(ann.leaf.toString());
    const bobAt = leaves.indexOf(snapshotLeaf(bob.commitment, 39n).toString());
    expect(annAt).toBeGreaterThanOrEqual(0);
    expect(bobAt).toBeGreaterThanOrEqual(0);
    expect(snapshot.body.leaf_weights[annAt]).toBe('120');
    expect(snapshot.body.leaf_weights[bobAt]).toBe('39');
    // Neither the bare identity nor bob's leaf at his stake when he registered is in the tree.
    expect(leaves).not.toContain(ann.commitment.toString());
    expect(leaves).not.toContain(bob.leaf.toString());
    const tree = new SnapshotTree(leaves.map((leaf) => BigInt(leaf)));
    expect(snapshot.body).toMatchObject({ root: tree.root.toString(), size: tree.size });
    expect(proposal).toMatchObject({ root: tree.root.toString(), size: tree.size });
    const weights = await db.sql`
      select account_id, weight::text, commitment, commitment_weight::text
        from governance_snapshot_weights
       where proposal_id = ${proposal.id} and account_id in ${db.sql([bob.account, unregistered])}
       order by commitment nulls last`;
    expect(weights).toEqual([
      {
        account_id: bob.account,
        weight: '39',
        commitment: bob.commitment.toString(),
        commitment_weight: '39',
      },
      { account_id: unregistered, weight: '7', commitment: null, commitment_weight: null },
    ]);
  });

  it('refuses a proposer below GOVERNANCE_PROPOSAL_THRESHOLD, naming proposer_account_id', async () => {
    const small = await stakedAccount(db.sql, call, { owner: 'cid', staked: '99.99' });
    const reply = await call('POST', '/governance/proposals', {
      ...as('cid'),
      body: proposalBody(small),
    });
    expectProblem(reply, 403, 'below_proposal_threshold', 'proposer_account_id', /99 whole/);
  });

  it('checks the action against the kind, naming action fields', async () => {
    const proposer = await stakedAccount(db.sql, call, { owner: 'dee', staked: '100' });
    const post = (extra: Record<string, unknown>) =>
      call('POST', '/governance/proposals', { ...as('dee'), body: proposalBody(proposer, extra) });
    expectProblem(
      await post({ kind: 'treasury_transfer', action: { ledger: 'AIA', amount: '5' } }),
      422,
      'validation_failed',
      'action.to_account_id',
    );
    expectProblem(
      await post({ kind: 'parameter_change', action: { name: 'x', value: '1', amount: '2' } }),
      422,
      'validation_failed',
      'action.amount',
    );
    expectProblem(await post({ modes: [] }), 422, 'validation_failed', 'modes');
    expectProblem(await post({ voting_seconds: 5 }), 422, 'validation_failed', 'voting_seconds');
    expectProblem(await post({ quorum: '-1' }), 422, 'validation_failed', 'quorum');
  });

  it('replays a retry with the same Idempotency-Key instead of opening a second proposal', async () => {
    const proposer = await stakedAccount(db.sql, call, { owner: 'eve', staked: '100' });
    const key = randomUUID();
    const send = () =>
      call('POST', '/governance/proposals', {
        ...as('eve'),
        headers: { 'Idempotency-Key': key },
        body: proposalBody(proposer, {
          kind: 'treasury_transfer',
          action: { to_account_id: treasuryOf('AIA'), ledger: 'AIA', amount: '1' },
        }),
      });
    const first = await send();
    const again = await send();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.body.proposal.id).toBe(first.body.proposal.id);
    const [row] = await db.sql`select count(*)::int as n from governance_proposals
                                where proposer_account_id = ${proposer}`;
    expect(row?.n).toBe(1);
  });

  it('lists proposals newest first a page at a time, and reads one', async () => {
    const proposer = await stakedAccount(db.sql, call, { owner: 'fay', staked: '100' });
    const opened = [];
    for (let index = 0; index < 3; index++)
      opened.push(await openedProposal(call, 'fay', proposer));
    const first = await call('GET', '/governance/proposals?limit=2', as('fay'));
    expect(first.status).toBe(200);
    expect(first.body.proposals.map((p: { id: string }) => p.id)).toEqual([
      opened[2]?.id,
      opened[1]?.id,
    ]);
    const next = await call(
      'GET',
      `/governance/proposals?limit=2&cursor=${first.body.next_cursor}`,
      as('fay'),
    );
    expect(next.body.proposals[0].id).toBe(opened[0]?.id);
    const one = await call('GET', `/governance/proposals/${opened[0]?.id}`, as('fay'));
    expect(one.body.proposal).toMatchObject({ id: opened[0]?.id, state: 'open', kind: 'text' });
    expect(one.body.proposal.tally).toBeUndefined();
    expectProblem(
      await call('GET', `/governance/proposals/${randomUUID()}`, as('fay')),
      404,
      'not_found',
    );
  });
});

describe('GOVERNANCE_ENABLED=false', () => {
  it('answers 404 on every governance path', async () => {
    const id = randomUUID();
    for (const [method, path] of [
      ['GET', '/governance/proposals'],
      ['POST', '/governance/proposals'],
      ['GET', `/governance/proposals/${id}`],
      ['GET', `/governance/proposals/${id}/snapshot`],
      ['POST', `/governance/proposals/${id}/votes`],
      ['PUT', `/governance/voters/${id}`],
      ['GET', '/governance/parameters'],
    ] as const) {
      const reply = await disabled(method, path, {
        ...as('ann'),
        ...(method === 'GET' ? {} : { body: {} }),
      });
      expect(reply.status, `${method} ${path}`).toBe(404);
    }
  });
});
