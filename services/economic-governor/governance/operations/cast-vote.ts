import type { Database } from '../../../platform/db.js';
import { NotFoundError } from '../../../platform/errors.js';
import { inTransaction } from '../../../platform/transactions.js';
import type { Caller } from '../../operations/apply-operation.js';
import { GovernanceRefusal } from '../domain/governance-refusal.js';
import type { VoteMode } from '../domain/proposal-kinds.js';
import { findProposal, type ProposalRow, snapshotWeight } from '../repository/proposal-store.js';
import { insertVote } from '../repository/vote-store.js';
import { verifyOwnership } from '../zk/ownership.js';
import { type VoteRefusal, verifyVote } from '../zk/verify-vote.js';
import { VOTE_CHOICES, type VoteChoice } from '../zk/vote-signals.js';
import { accountActedOn } from './acting-on-account.js';

export type Ballot =
  | {
      readonly mode: 'private';
      readonly proof: unknown;
      readonly publicSignals: unknown;
      readonly choice: VoteChoice;
    }
  | {
      readonly mode: 'signed';
      readonly accountId: string;
      readonly choice: VoteChoice;
      /**
       * The leaf's nullifier and a proof that it is the account's (ownership circuit), required
       * when the account has a leaf and the proposal also takes private votes.
       */
      readonly ownership: { readonly nullifier: unknown; readonly proof: unknown } | undefined;
    };

export interface CountedBallot {
  readonly voteId: string;
  readonly proposalId: string;
  readonly mode: VoteMode;
  readonly choice: VoteChoice;
  readonly weight: bigint;
  readonly nullifier: string | undefined;
}

/** The verification keys a vote is checked with. */
export interface VerificationKeys {
  readonly vote: object;
  readonly ownership: object;
}

/** The request field each proof refusal is about. */
const REFUSAL_FIELDS: Record<VoteRefusal, string> = {
  malformed_proof: 'proof',
  malformed_public_signals: 'public_signals',
  public_signal_out_of_field: 'public_signals',
  wrong_root: 'public_signals',
  wrong_proposal: 'public_signals',
  invalid_choice: 'public_signals',
  choice_mismatch: 'choice',
  invalid_proof: 'proof',
};

/**
 * Open: before closes_at, not tallied (a vote that waited for the tally's lock is too late), and
 * not voided.
 */
function assertVotingOpen(proposal: ProposalRow): void {
  if (proposal.voided_reason !== null) {
    throw new GovernanceRefusal(
      409,
      'voting_closed',
      'id',
      `proposal ${proposal.id} was voided: ${proposal.voided_reason}`,
    );
  }
  if (proposal.closes_at <= proposal.now || proposal.outcome !== null) {
    throw new GovernanceRefusal(
      409,
      'voting_closed',
      'id',
      `voting on proposal ${proposal.id} closed at ${proposal.closes_at.toISOString()}`,
    );
  }
}

function assertModeAccepted(proposal: ProposalRow, mode: VoteMode): void {
  if (!proposal.modes.includes(mode)) {
    throw new GovernanceRefusal(
      422,
      'vote_mode_not_accepted',
      'mode',
      `proposal ${proposal.id} accepts ${proposal.modes.join(' and ')} votes only`,
    );
  }
}

/**
 * An empty snapshot's root is 0, and the circuit's Merkle root is 0 for any proof claiming a depth
 * beyond its own: no private vote is taken on a proposal nobody could prove membership of.
 */
function assertSnapshotHasLeaves(proposal: ProposalRow): void {
  if (proposal.snapshot_size === 0) {
    throw new GovernanceRefusal(
      422,
      'voter_not_in_snapshot',
      'public_signals',
      `proposal ${proposal.id}'s snapshot holds no registered voters: a private vote cannot be in it`,
    );
  }
}

const alreadyCast = (proposalId: string, mode: VoteMode) =>
  new GovernanceRefusal(
    409,
    'vote_already_cast',
    mode === 'signed' ? 'account_id' : 'public_signals',
    `this voter has already voted on proposal ${proposalId} (privately or signed); a vote is never changed`,
  );

/**
 * What a signed vote counts: the account's snapshot weight and, when the account has a leaf and
 * the proposal also takes private votes, the leaf's nullifier, which the vote must prove is the
 * account's (the ownership circuit) without giving the secret.
 */
async function signedWeight(
  sql: Database,
  ownershipKey: object,
  caller: Caller,
  proposal: ProposalRow,
  ballot: Extract<Ballot, { mode: 'signed' }>,
): Promise<{ weight: bigint; nullifier: string | undefined }> {
  await accountActedOn(sql, caller, {
    id: ballot.accountId,
    field: 'account_id',
    ledger: 'AIA_GOV',
    admin: false,
  });
  const entry = await snapshotWeight(sql, proposal.id, ballot.accountId);
  if (!entry) {
    throw new GovernanceRefusal(
      422,
      'voter_not_in_snapshot',
      'account_id',
      `account ${ballot.accountId} had no AIA_GOV staked when proposal ${proposal.id} opened`,
    );
  }
  const weight = BigInt(entry.weight);
  // Only where a private vote by the same voter could also count: the account has a leaf and the
  // proposal takes private votes. Anywhere else an ownership proof is refused, as pointless.
  const leafCouldVote = entry.commitment !== null && proposal.modes.includes('private');
  if (!leafCouldVote) {
    if (ballot.ownership !== undefined) {
      throw new GovernanceRefusal(
        422,
        'ownership_not_needed',
        'ownership',
        entry.commitment === null
          ? 'the account has no leaf in this snapshot: send no ownership proof'
          : `proposal ${proposal.id} takes no private votes: send no ownership proof`,
      );
    }
    return { weight, nullifier: undefined };
  }
  if (ballot.ownership === undefined) {
    throw new GovernanceRefusal(
      422,
      'ownership_required',
      'ownership',
      "the account has a leaf in this snapshot: a signed vote must prove its leaf's nullifier (npm run governance -- vote --signed does), so the same voter cannot also vote privately",
    );
  }
  const verdict = await verifyOwnership(
    ownershipKey,
    { identity: BigInt(entry.commitment as string), proposalId: BigInt(proposal.proposal_field) },
    ballot.ownership,
  );
  if (!verdict.ok) {
    throw new GovernanceRefusal(422, verdict.reason, 'ownership', verdict.message);
  }
  return { weight, nullifier: verdict.nullifier.toString() };
}

/**
 * Counts one vote on an open proposal, or refuses it with a reason and stores nothing. A private
 * vote's proof is verified against the proposal's snapshot root and field and the claimed choice,
 * and counts its tier; a signed vote counts the account's snapshot weight. The insert holds the
 * proposal row shared, so the tally (which locks it, skipping a locked one until its next run)
 * never misses a vote being counted, and a vote that waited for the tally's lock is refused.
 */
export async function castVote(
  sql: Database,
  keys: VerificationKeys,
  caller: Caller,
  proposalId: string,
  ballot: Ballot,
): Promise<CountedBallot> {
  const proposal = await findProposal(sql, proposalId);
  if (!proposal) throw new NotFoundError(`proposal ${proposalId} does not exist`);
  assertModeAccepted(proposal, ballot.mode);
  assertVotingOpen(proposal);
  let counted: { weight: bigint; nullifier: string | undefined };
  if (ballot.mode === 'private') {
    assertSnapshotHasLeaves(proposal);
    const verdict = await verifyVote(
      keys.vote,
      { proof: ballot.proof, publicSignals: ballot.publicSignals },
      {
        root: BigInt(proposal.snapshot_root),
        proposalId: BigInt(proposal.proposal_field),
        choice: ballot.choice,
      },
    );
    if (!verdict.ok) {
      throw new GovernanceRefusal(
        422,
        verdict.reason,
        REFUSAL_FIELDS[verdict.reason],
        verdict.message,
      );
    }
    counted = { weight: verdict.statement.tier, nullifier: verdict.statement.nullifier.toString() };
  } else {
    counted = await signedWeight(sql, keys.ownership, caller, proposal, ballot);
  }
  return inTransaction(sql, async (tx) => {
    const current = await findProposalShared(tx, proposalId);
    assertVotingOpen(current);
    const voteId = await insertVote(tx, {
      proposalId,
      mode: ballot.mode,
      nullifier: counted.nullifier,
      accountId: ballot.mode === 'signed' ? ballot.accountId : undefined,
      choice: Number(VOTE_CHOICES[ballot.choice]),
      weight: counted.weight,
    });
    if (!voteId) throw alreadyCast(proposalId, ballot.mode);
    return {
      voteId,
      proposalId,
      mode: ballot.mode,
      choice: ballot.choice,
      weight: counted.weight,
      nullifier: counted.nullifier,
    };
  });
}

async function findProposalShared(tx: Database, id: string): Promise<ProposalRow> {
  const proposal = await findProposal(tx, id, { lock: 'share' });
  if (!proposal) throw new NotFoundError(`proposal ${id} does not exist`);
  return proposal;
}
