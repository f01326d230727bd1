import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db.js';
import { derivedId } from '../domain/derived-id.js';
import { type LedgerCode, systemAccountId } from '../domain/ledgers.js';
import { anyFailed } from '../domain/refusals.js';
import type { CreateCommand, TransferResult } from '../domain/types.js';
import { applyOperation, type Caller } from './apply-operation.js';
import { applyTransfer, refusalOfGroup, type TransferOutcome } from './transfers.js';

export type SupplyChange = 'mint' | 'burn';

/** Mints into the treasury from the issuance account, or burns back into it. */
export function changeSupply(
  tx: Database,
  caller: Caller,
  kind: SupplyChange,
  request: { id?: string; ledger: LedgerCode; amount: bigint; memo?: string },
): Promise<TransferOutcome> {
  const issuance = systemAccountId(request.ledger, 'issuance');
  const treasury = systemAccountId(request.ledger, 'treasury');
  return applyTransfer(
    tx,
    caller,
    {
      type: 'create',
      id: request.id ?? randomUUID(),
      kind,
      ledger: request.ledger,
      debitAccountId: kind === 'mint' ? issuance : treasury,
      creditAccountId: kind === 'mint' ? treasury : issuance,
      amount: request.amount,
      ...(request.memo !== undefined ? { memo: request.memo } : {}),
    },
    `treasury.${kind}`,
  );
}

export interface Distribution {
  readonly id: string;
  readonly ledger: LedgerCode;
  readonly rewards: readonly { readonly accountId: string; readonly amount: bigint }[];
  readonly memo?: string;
}

export interface DistributionOutcome {
  /** One transfer per reward, with ids derived from the distribution's (so a resend pays nothing twice). */
  readonly transferIds: readonly string[];
  readonly total: bigint;
  /** False when the whole distribution had been paid before. */
  readonly created: boolean;
  readonly results: readonly TransferResult[];
}

/** Pays every reward from the reward pool, all or none; the same distribution id pays once. */
export async function distributeRewards(
  tx: Database,
  caller: Caller,
  { id, ledger, rewards, memo }: Distribution,
): Promise<DistributionOutcome> {
  const pool = systemAccountId(ledger, 'reward_pool');
  const commands = rewards.map((reward, index): CreateCommand & { linked: boolean } => ({
    type: 'create',
    id: derivedId(id, index),
    kind: 'reward',
    ledger,
    debitAccountId: pool,
    creditAccountId: reward.accountId,
    amount: reward.amount,
    memo: memo ?? `reward distribution ${id}`,
    linked: index < rewards.length - 1,
  }));
  const { results } = await applyOperation(tx, caller, {
    action: 'reward.distribute',
    ledger,
    commands,
    details: { distribution_id: id, rewards: commands.length },
  });
  if (anyFailed(results)) {
    throw refusalOfGroup(results, ledger, {
      entry: (index) => `rewards.${index}`,
      field: (field) => (field === 'amount' ? 'amount' : 'account_id'),
      consequence: 'no reward was paid',
    });
  }
  return {
    transferIds: commands.map((command) => command.id),
    total: commands.reduce((sum, command) => sum + command.amount, 0n),
    created: results.some((result) => result.status === 'created'),
    results,
  };
}
