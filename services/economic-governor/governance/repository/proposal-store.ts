import type { JSONValue } from 'postgres';
import type { Database } from '../../../platform/db.js';
import type { ProposalKind, VoteMode } from '../domain/proposal-kinds.js';

export interface ProposalRow {
  id: string;
  seq: string;
  proposal_field: string;
  proposer_account_id: string;
  proposed_by: string;
  title: string;
  body: string;
  kind: ProposalKind;
  action: Record<string, string> | null;
  quorum: string;
  modes: VoteMode[];
  snapshot_root: string;
  snapshot_size: number;
  opened_at: Date;
  closes_at: Date;
  outcome: 'passed' | 'rejected' | null;
  votes_for: string | null;
  votes_against: string | null;
  votes_abstain: string | null;
  tallied_at: Date | null;
  executes_at: Date | null;
  executed_at: Date | null;
  execution_transfer_id: string | null;
  execution_refusal: string | null;
  /** Set by migration 004 on proposals it stopped: never tallied or executed, takes no votes. */
  voided_reason: string | null;
  /** The database's clock when the row was read. */
  now: Date;
}

const COLUMNS =
  'select p.*, p.seq::text as seq, quorum::text, votes_for::text, votes_against::text, votes_abstain::text, now() as now from governance_proposals p';

/** A leaf of a snapshot: Poseidon(identity, weight), and the weight the server put in it. */
export interface SnapshotLeaf {
  readonly leaf: string;
  readonly weight: bigint;
}

/**
 * An account's weight in a snapshot (the weight of its signed vote) and, when it has a leaf,
 * the identity the leaf was built from and the leaf's weight.
 */
export interface SnapshotWeight {
  readonly accountId: string;
  readonly weight: bigint;
  readonly leaf: { readonly identity: string; readonly weight: bigint } | undefined;
}

export interface NewProposal {
  readonly id: string;
  readonly proposalField: string;
  readonly proposerAccountId: string;
  readonly proposedBy: string;
  readonly title: string;
  readonly body: string;
  readonly kind: ProposalKind;
  readonly action: Record<string, string> | undefined;
  readonly quorum: bigint;
  readonly modes: readonly VoteMode[];
  readonly votingSeconds: number;
  readonly root: string;
  readonly size: number;
}

/** Inserts a proposal, its leaves and per-account weights; undefined when the id is taken. */
export async function insertProposal(
  sql: Database,
  proposal: NewProposal,
  leaves: readonly SnapshotLeaf[],
  weights: readonly SnapshotWeight[],
): Promise<ProposalRow | undefined> {
  const [row] = await sql<ProposalRow[]>`
    insert into governance_proposals (id, proposal_field, proposer_account_id, proposed_by, title,
                                      body, kind, action, quorum, modes, snapshot_root,
                                      snapshot_size, closes_at)
    values (${proposal.id}, ${proposal.proposalField}, ${proposal.proposerAccountId},
            ${proposal.proposedBy}, ${proposal.title}, ${proposal.body}, ${proposal.kind},
            ${proposal.action ? sql.json(proposal.action as JSONValue) : null},
            ${proposal.quorum.toString()}, ${sql.array([...proposal.modes])}, ${proposal.root},
            ${proposal.size}, now() + make_interval(secs => ${proposal.votingSeconds}))
    on conflict (id) do nothing
    returning *, seq::text as seq, quorum::text, null::text as votes_for, null::text as votes_against,
              null::text as votes_abstain, now() as now`;
  if (!row) return undefined;
  if (leaves.length > 0) {
    await sql`
      insert into governance_snapshot_leaves (proposal_id, position, leaf, weight)
      select ${proposal.id}, position - 1, leaf, weight
        from unnest(${leaves.map((l) => l.leaf)}::text[],
                    ${leaves.map((l) => l.weight.toString())}::numeric[])
             with ordinality as l(leaf, weight, position)`;
  }
  if (weights.length > 0) {
    await sql`
      insert into governance_snapshot_weights (proposal_id, account_id, weight, commitment,
                                               commitment_weight)
      select ${proposal.id}, account_id, weight, commitment, commitment_weight
        from unnest(${weights.map((w) => w.accountId)}::uuid[],
                    ${weights.map((w) => w.weight.toString())}::numeric[],
                    ${weights.map((w) => w.leaf?.identity ?? null)}::text[],
                    ${weights.map((w) => w.leaf?.weight.toString() ?? null)}::numeric[])
             as w(account_id, weight, commitment, commitment_weight)`;
  }
  return row;
}

/**
 * A proposal; `lock: 'share'` holds it until the transaction ends so the tally (which locks it
 * for update) waits for a vote being counted.
 */
export async function findProposal(
  sql: Database,
  id: string,
  { lock }: { lock?: 'share' } = {},
): Promise<ProposalRow | undefined> {
  const [row] = await sql<ProposalRow[]>`
    ${sql.unsafe(COLUMNS)} where p.id = ${id} ${lock ? sql`for share` : sql``}`;
  return row;
}

/** Proposals newest first, `limit` of them with `seq` below the cursor. */
export async function listProposals(
  sql: Database,
  limit: number,
  cursor: string | undefined,
): Promise<ProposalRow[]> {
  return sql<ProposalRow[]>`
    ${sql.unsafe(COLUMNS)} ${cursor ? sql`where p.seq < ${cursor}` : sql``}
     order by p.seq desc limit ${limit}`;
}

/** A snapshot's leaves in tree order, each with its weight (null in snapshots before 004). */
export async function snapshotLeaves(
  sql: Database,
  proposalId: string,
): Promise<{ leaf: string; weight: string | null }[]> {
  return sql<{ leaf: string; weight: string | null }[]>`
    select leaf, weight::text from governance_snapshot_leaves
     where proposal_id = ${proposalId} order by position`;
}

export async function snapshotWeight(
  sql: Database,
  proposalId: string,
  accountId: string,
): Promise<
  { weight: string; commitment: string | null; commitment_weight: string | null } | undefined
> {
  const [row] = await sql<
    { weight: string; commitment: string | null; commitment_weight: string | null }[]
  >`
    select weight::text, commitment, commitment_weight::text from governance_snapshot_weights
     where proposal_id = ${proposalId} and account_id = ${accountId}`;
  return row;
}

/** Open proposals whose voting period is over, oldest first, locked, skipping locked ones. */
export async function dueForTally(sql: Database, limit: number): Promise<ProposalRow[]> {
  return sql<ProposalRow[]>`
    ${sql.unsafe(COLUMNS)} where p.outcome is null and p.voided_reason is null and p.closes_at <= now()
     order by p.closes_at, p.id limit ${limit} for update skip locked`;
}

export async function recordTally(
  sql: Database,
  id: string,
  tally: { outcome: 'passed' | 'rejected'; for: bigint; against: bigint; abstain: bigint },
  execution: { executesAfterSeconds: number } | { executedNow: true } | undefined,
): Promise<void> {
  await sql`
    update governance_proposals
       set outcome = ${tally.outcome}, votes_for = ${tally.for.toString()},
           votes_against = ${tally.against.toString()}, votes_abstain = ${tally.abstain.toString()},
           tallied_at = now(),
           executes_at = ${
             execution && 'executesAfterSeconds' in execution
               ? sql`closes_at + make_interval(secs => ${execution.executesAfterSeconds})`
               : execution
                 ? sql`now()`
                 : null
           },
           executed_at = ${execution && 'executedNow' in execution ? sql`now()` : null}
     where id = ${id} and outcome is null`;
}

/** Passed treasury transfers whose timelock is over and that have not executed, locked. */
export async function dueForExecution(sql: Database, limit: number): Promise<ProposalRow[]> {
  return sql<ProposalRow[]>`
    ${sql.unsafe(COLUMNS)}
     where p.outcome = 'passed' and p.executed_at is null and p.execution_refusal is null
       and p.executes_at <= now()
     order by p.executes_at, p.id limit ${limit} for update skip locked`;
}

export async function recordExecution(
  sql: Database,
  id: string,
  result: { transferId: string } | { refusal: string },
): Promise<void> {
  if ('transferId' in result) {
    await sql`
      update governance_proposals set executed_at = now(), execution_transfer_id = ${result.transferId}
       where id = ${id} and executed_at is null`;
  } else {
    await sql`
      update governance_proposals set execution_refusal = ${result.refusal}
       where id = ${id} and executed_at is null`;
  }
}
