import { expect } from 'vitest';
import type { Database } from '../../platform/db.js';
import { newVoterSecret, snapshotLeaf, voterIdentity } from '../governance/zk/commitment.js';
import { type Call, openFunded } from './api-fixtures.js';

/** Scopes of a governance participant who also moves their own tokens. */
export const VOTER_SCOPES = 'ledger:read ledger:write governance:read governance:write';

/** The env that serves governance with a proposal threshold of 100 whole AIA_GOV. */
export const GOVERNANCE_ENV = { GOVERNANCE_ENABLED: 'true', GOVERNANCE_PROPOSAL_THRESHOLD: '100' };

/** An AIA_GOV account of `owner` funded with `staked` AIA_GOV, all of it staked. */
export async function stakedAccount(
  sql: Database,
  call: Call,
  { owner, staked }: { owner: string; staked: string },
): Promise<string> {
  const [account] = (await openFunded(sql, call, {
    owner,
    amount: staked,
    ledger: 'AIA_GOV',
  })) as [string];
  const reply = await call('POST', '/stakes', {
    as: owner,
    scope: VOTER_SCOPES,
    body: { account_id: account, ledger: 'AIA_GOV', amount: staked },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return account;
}

/**
 * A voter: a staked account, and a fresh secret whose identity is registered. `weight` is what a
 * snapshot taken now puts in their leaf (the whole AIA_GOV staked), `leaf` that leaf.
 */
export async function registeredVoter(
  sql: Database,
  call: Call,
  { owner, staked }: { owner: string; staked: string },
) {
  const account = await stakedAccount(sql, call, { owner, staked });
  const secret = newVoterSecret();
  const commitment = voterIdentity(secret);
  const reply = await call('PUT', `/governance/voters/${account}`, {
    as: owner,
    scope: VOTER_SCOPES,
    body: { commitment: commitment.toString() },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  const weight = BigInt(staked);
  return { owner, account, secret, weight, commitment, leaf: snapshotLeaf(commitment, weight) };
}

/** A proposal body; `extra` overrides any field. */
export const proposalBody = (proposer: string, extra: Record<string, unknown> = {}) => ({
  proposer_account_id: proposer,
  title: 'Fund the research guild',
  body: 'Moves treasury AIA to the guild.',
  kind: 'text',
  voting_seconds: 3600,
  quorum: '1',
  modes: ['private', 'signed'],
  ...extra,
});

/** Opens a proposal as `owner`; returns it as GET shows it. */
export async function openedProposal(
  call: Call,
  owner: string,
  proposer: string,
  extra: Record<string, unknown> = {},
) {
  const reply = await call('POST', '/governance/proposals', {
    as: owner,
    scope: VOTER_SCOPES,
    body: proposalBody(proposer, extra),
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.proposal as {
    id: string;
    proposal_field: string;
    root: string;
    size: number;
    state: string;
  };
}

/** Ends a proposal's voting period now (instead of waiting for it). */
export async function closeVoting(sql: Database, proposalId: string): Promise<void> {
  await sql`update governance_proposals set closes_at = now() - interval '1 second'
             where id = ${proposalId}`;
}

/** Ends the timelock of a passed proposal now. */
export async function endTimelock(sql: Database, proposalId: string): Promise<void> {
  await sql`update governance_proposals set executes_at = now() - interval '1 second'
             where id = ${proposalId} and executes_at is not null`;
}

/** Counted votes of a proposal. */
export async function voteCount(sql: Database, proposalId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from governance_votes where proposal_id = ${proposalId}`;
  return row?.n ?? 0;
}
