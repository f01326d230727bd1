import type { Database } from '../../../platform/db.js';
import type { VoteMode } from '../domain/proposal-kinds.js';

export interface NewVote {
  readonly proposalId: string;
  readonly mode: VoteMode;
  readonly nullifier: string | undefined;
  readonly accountId: string | undefined;
  readonly choice: number;
  readonly weight: bigint;
}

/**
 * Counts a vote unless its nullifier or its account has already voted on the proposal: one
 * statement against the unique indexes, so of two concurrent equal votes only one is counted.
 * Returns the vote's id, or undefined when it was not counted.
 */
export async function insertVote(sql: Database, vote: NewVote): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>`
    insert into governance_votes (proposal_id, mode, nullifier, account_id, choice, weight)
    values (${vote.proposalId}, ${vote.mode}, ${vote.nullifier ?? null}, ${vote.accountId ?? null},
            ${vote.choice}, ${vote.weight.toString()})
    on conflict do nothing
    returning id::text`;
  return row?.id;
}

/** Every counted vote of a proposal: what the tally adds up. */
export async function countedVotes(
  sql: Database,
  proposalId: string,
): Promise<{ choice: number; weight: bigint }[]> {
  const rows = await sql<{ choice: number; weight: string }[]>`
    select choice, weight::text from governance_votes where proposal_id = ${proposalId}`;
  return rows.map((row) => ({ choice: row.choice, weight: BigInt(row.weight) }));
}
