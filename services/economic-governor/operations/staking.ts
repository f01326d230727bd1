import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { type LedgerCode, systemAccountId } from '../domain/ledgers.js';
import type { TransferRecord, TransferResult } from '../domain/types.js';
import { findAccount, findTransfer } from '../repository/account-store.js';
import { findStake, insertStake, recordRelease, type StakeRow } from '../repository/stake-store.js';
import type { Caller } from './apply-operation.js';
import { applyTransfer } from './transfers.js';

export interface StakeOutcome {
  readonly stake: StakeRow;
  readonly transfer: TransferRecord | undefined;
  /** False when the same stake (id, account, amount) was sent again. */
  readonly created: boolean;
  readonly results: readonly TransferResult[];
}

/**
 * Stakes `amount` of an account's AIA or AIA_GOV: it moves to the ledger's staking account for
 * `lockSeconds`. Staked AIA_GOV is a voter's governance weight.
 */
export async function stake(
  tx: Database,
  caller: Caller,
  request: {
    id: string;
    accountId: string;
    ledger: LedgerCode;
    amount: bigint;
    lockSeconds: number;
  },
): Promise<StakeOutcome> {
  const { id, accountId, ledger, amount, lockSeconds } = request;
  const existing = await findStake(tx, id);
  if (existing) {
    if (
      existing.account_id !== accountId ||
      existing.ledger !== ledger ||
      BigInt(existing.amount) !== amount
    ) {
      throw new ConflictError(
        `stake ${id} already exists with a different account, ledger or amount`,
        {
          errors: [{ field: 'id', reason: 'already used by another stake' }],
        },
      );
    }
    const found = await findTransfer(tx, existing.stake_transfer_id);
    return { stake: existing, transfer: found?.transfer, created: false, results: [] };
  }
  const { transfer, results } = await applyTransfer(
    tx,
    caller,
    {
      type: 'create',
      id: randomUUID(),
      kind: 'stake',
      ledger,
      debitAccountId: accountId,
      creditAccountId: systemAccountId(ledger, 'staking'),
      amount,
      memo: `stake ${id}`,
    },
    'stake.create',
  );
  const row = await insertStake(tx, {
    id,
    accountId,
    ledger,
    amount,
    transferId: transfer.id,
    lockSeconds,
  });
  return { stake: row, transfer, created: true, results };
}

/**
 * Returns a stake to its account, once, after its lock period; only its account's owner (or a
 * treasury admin) may.
 */
export async function unstake(tx: Database, caller: Caller, id: string): Promise<StakeOutcome> {
  const found = await findStake(tx, id, { lock: true });
  if (!found) throw new NotFoundError(`stake ${id} does not exist`);
  const account = await findAccount(tx, found.account_id);
  if (!caller.admin && account?.owner !== caller.subject) {
    throw new ForbiddenError(
      `stake ${id} belongs to account ${found.account_id}, owned by ${account?.owner}`,
    );
  }
  if (found.release_transfer_id) {
    throw new ConflictError(
      `stake ${id} was already unstaked by transfer ${found.release_transfer_id}`,
      {
        errors: [{ field: 'id', reason: 'already unstaked' }],
      },
    );
  }
  if (found.unlocks_at > found.now) {
    const until = found.unlocks_at.toISOString();
    throw new ConflictError(`stake ${id} is locked until ${until}`, {
      errors: [{ field: 'id', reason: `locked until ${until}` }],
    });
  }
  // The staking account is the system's: the ownership check above is the authorisation.
  const { transfer, results } = await applyTransfer(
    tx,
    { ...caller, admin: true },
    {
      type: 'create',
      id: randomUUID(),
      kind: 'unstake',
      ledger: found.ledger,
      debitAccountId: systemAccountId(found.ledger, 'staking'),
      creditAccountId: found.account_id,
      amount: BigInt(found.amount),
      memo: `unstake ${id}`,
    },
    'stake.release',
  );
  await recordRelease(tx, id, transfer.id);
  return {
    stake: { ...found, release_transfer_id: transfer.id },
    transfer,
    created: true,
    results,
  };
}
