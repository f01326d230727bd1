import { randomUUID } from 'node:crypto';
import type { Database } from '../../../platform/db.js';
import { NotFoundError, ValidationError } from '../../../platform/errors.js';
import type { LedgerCode } from '../../domain/ledgers.js';
import type { Caller } from '../../operations/apply-operation.js';
import { findAccount } from '../../repository/account-store.js';
import { stakedBalance } from '../../repository/stake-store.js';
import { GovernanceRefusal } from '../domain/governance-refusal.js';
import { proposalFieldOf } from '../domain/proposal-field.js';
import type { ProposalKind, VoteMode } from '../domain/proposal-kinds.js';
import { wholeAiaGov } from '../domain/whole-tokens.js';
import {
  insertProposal,
  type ProposalRow,
  type SnapshotLeaf,
  type SnapshotWeight,
} from '../repository/proposal-store.js';
import { stakedAiaGovHolders } from '../repository/voter-store.js';
import { MAX_WEIGHT, snapshotLeaf } from '../zk/commitment.js';
import { SnapshotTree } from '../zk/snapshot-tree.js';
import { accountActedOn } from './acting-on-account.js';

export interface ProposalRequest {
  readonly proposerAccountId: string;
  readonly title: string;
  readonly body: string;
  readonly kind: ProposalKind;
  /** Checked for its kind by the route: transfer {to_account_id, amount, ledger}, change {name, value}. */
  readonly action: Record<string, string> | undefined;
  readonly votingSeconds: number;
  /** Whole AIA_GOV of counted weight (abstentions included) the tally needs. */
  readonly quorum: bigint;
  readonly modes: readonly VoteMode[];
}

/**
 * The snapshot at this moment. Every account with whole AIA_GOV staked has that weight (its
 * signed vote's); one with a registered identity also has a leaf, Poseidon(identity, weight),
 * built here from the stake just read (in registration order): the weight a private vote can
 * count is the one the server checked, never one the voter chose.
 */
async function takeSnapshot(tx: Database) {
  const leaves: SnapshotLeaf[] = [];
  const weights: SnapshotWeight[] = [];
  for (const holder of await stakedAiaGovHolders(tx)) {
    const staked = wholeAiaGov(BigInt(holder.staked));
    if (staked === 0n) continue;
    // A stake beyond the circuit's 64 bits (more than the supply) still counts the most it can.
    const weight = staked > MAX_WEIGHT ? MAX_WEIGHT : staked;
    const identity = holder.commitment ?? undefined;
    const leaf = identity === undefined ? undefined : { identity, weight };
    if (identity !== undefined) {
      leaves.push({ leaf: snapshotLeaf(BigInt(identity), weight).toString(), weight });
    }
    weights.push({ accountId: holder.account_id, weight: staked, leaf });
  }
  return { leaves, weights, tree: new SnapshotTree(leaves.map(({ leaf }) => BigInt(leaf))) };
}

/**
 * Opens a proposal for its voting period. The proposer acts on an AIA_GOV account with at least
 * `threshold` whole AIA_GOV staked; the snapshot of voters is taken in the same transaction.
 */
export async function openProposal(
  tx: Database,
  caller: Caller,
  request: ProposalRequest,
  threshold: bigint,
): Promise<ProposalRow> {
  const proposer = request.proposerAccountId;
  await accountActedOn(tx, caller, {
    id: proposer,
    field: 'proposer_account_id',
    ledger: 'AIA_GOV',
  });
  const staked = wholeAiaGov(await stakedBalance(tx, proposer, 'AIA_GOV'));
  if (staked < threshold) {
    throw new GovernanceRefusal(
      403,
      'below_proposal_threshold',
      'proposer_account_id',
      `has ${staked} whole AIA_GOV staked; opening a proposal takes ${threshold}`,
    );
  }
  if (request.kind === 'treasury_transfer') {
    const to = request.action?.to_account_id as string;
    const account = await findAccount(tx, to);
    if (!account) throw new NotFoundError(`account ${to} does not exist`);
    if (account.ledger !== (request.action?.ledger as LedgerCode)) {
      throw new ValidationError([
        { field: 'action.to_account_id', reason: `is on ${account.ledger}, not on action.ledger` },
      ]);
    }
  }
  const { leaves, weights, tree } = await takeSnapshot(tx);
  const id = randomUUID();
  const row = await insertProposal(
    tx,
    {
      id,
      proposalField: proposalFieldOf(id).toString(),
      proposerAccountId: proposer,
      proposedBy: caller.subject,
      title: request.title,
      body: request.body,
      kind: request.kind,
      action: request.action,
      quorum: request.quorum,
      modes: request.modes,
      votingSeconds: request.votingSeconds,
      root: tree.root.toString(),
      size: tree.size,
    },
    leaves,
    weights,
  );
  if (!row) throw new Error(`proposal id ${id} collided`);
  return row;
}
