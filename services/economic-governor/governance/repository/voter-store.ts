import type { Database } from '../../../platform/db.js';

export interface VoterRow {
  account_id: string;
  registration_id: string;
  /** The voter's identity, Poseidon(secret). */
  commitment: string;
  registered_by: string;
  registered_at: Date;
}

/**
 * Registers an account's commitment, or replaces it (a new registration id: it moves to the end
 * of the snapshot order). Undefined when another account holds the commitment.
 */
export async function upsertVoter(
  sql: Database,
  voter: { accountId: string; commitment: string; registeredBy: string },
): Promise<{ row: VoterRow; replaced: boolean } | undefined> {
  const [row] = await sql<(VoterRow & { replaced: boolean })[]>`
    insert into governance_voters (account_id, commitment, registered_by)
    values (${voter.accountId}, ${voter.commitment}, ${voter.registeredBy})
    on conflict (account_id) do update
       set commitment = excluded.commitment, registered_by = excluded.registered_by,
           registered_at = now(), registration_id = nextval('governance_registration_seq')
    returning *, registration_id::text, (xmax <> 0) as replaced`.catch(
    (error: { code?: string; constraint_name?: string }) => {
      if (error.code === '23505' && error.constraint_name === 'governance_voters_commitment_key')
        return [];
      throw error;
    },
  );
  if (!row) return undefined;
  const { replaced, ...stored } = row;
  return { row: stored, replaced };
}

/**
 * Every account that has staked AIA_GOV now, with its staked minor units and its registered
 * identity if any, in registration order (accounts without one last, by id): the snapshot's
 * source.
 */
export async function stakedAiaGovHolders(
  sql: Database,
): Promise<{ account_id: string; staked: string; commitment: string | null }[]> {
  return sql`
    select s.account_id, sum(s.amount)::text as staked, v.commitment
      from stakes s
      left join stake_releases r on r.stake_id = s.id
      left join governance_voters v on v.account_id = s.account_id
     where s.ledger = 'AIA_GOV' and r.stake_id is null
     group by s.account_id, v.commitment, v.registration_id
     order by v.registration_id nulls last, s.account_id`;
}
